// The built-in assistant's turns against scripted tools: which tools it calls, with which
// arguments, and what it keeps for the next turn.
#include "services/assistant/built_in.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <deque>

namespace tickler::services::assistant {
namespace {

namespace json = boost::json;

struct Call {
  std::string tool;
  json::object arguments;
};

// Answers each call with the next scripted outcome, and records the calls.
class ScriptedTools final : public ToolRunner {
 public:
  void answer(std::string_view structured_json) {
    wire::ToolOutcome out;
    out.structured = json::parse(structured_json).as_object();
    out.is_error = out.structured.contains("error");
    script_.push_back(std::move(out));
  }
  boost::asio::awaitable<wire::ToolOutcome> call(std::string_view tool,
                                                 const json::object& arguments) override {
    calls.push_back({std::string{tool}, arguments});
    if (script_.empty()) {
      co_return wire::tool_error(core::make_error(core::Errc::internal, "unscripted"));
    }
    auto out = std::move(script_.front());
    script_.pop_front();
    co_return out;
  }
  std::vector<Call> calls;

 private:
  std::deque<wire::ToolOutcome> script_;
};

Reply turn(std::string message, TurnState& state, ToolRunner& tools) {
  boost::asio::io_context ioc;
  const TurnInput input{std::move(message), "UTC", *core::parse_rfc3339("2026-12-10T12:00:00Z")};
  auto done =
      boost::asio::co_spawn(ioc, built_in_turn(input, state, tools), boost::asio::use_future);
  ioc.run();
  return done.get();
}

constexpr const char* k_dentist =
    R"({"id":7,"title":"Dentist","description":"","status":"pending","priority":"high",
        "tags":["health"],"due_at":"2026-12-11T15:00:00.000Z","time_zone":"UTC",
        "reminders":[],"recurrence":null,"version":2})";

TEST(BuiltInAssistant, DeleteAsksFirstThenDeletesAndUndoCreatesItAgain) {
  ScriptedTools tools;
  TurnState state;
  tools.answer(std::string{R"({"items":[)"} + k_dentist + R"(],"next_cursor":null})");
  auto r = turn("delete the dentist", state, tools);
  ASSERT_EQ(tools.calls.size(), 1U);
  EXPECT_EQ(tools.calls[0].tool, "list_tasks");
  EXPECT_EQ(tools.calls[0].arguments.at("q").as_string(), "dentist");
  EXPECT_EQ(tools.calls[0].arguments.at("status").as_string(), "all");
  ASSERT_TRUE(state.confirm_delete);
  EXPECT_EQ(state.confirm_delete->id, 7);
  EXPECT_EQ(r.text, "Delete “Dentist” (due Fri 11 Dec, 15:00)? Answer yes or no.");

  tools.answer(k_dentist);
  tools.answer(R"({"deleted":true,"id":7})");
  r = turn("yes", state, tools);
  ASSERT_EQ(tools.calls.size(), 3U);
  EXPECT_EQ(tools.calls[1].tool, "get_task");
  EXPECT_EQ(tools.calls[2].tool, "delete_task");
  EXPECT_EQ(tools.calls[2].arguments.at("id").as_int64(), 7);
  EXPECT_FALSE(state.confirm_delete);
  ASSERT_TRUE(state.undo);
  EXPECT_EQ(state.undo->change, "deleted");

  tools.answer(
      R"({"id":9,"title":"Dentist","status":"pending","due_at":"2026-12-11T15:00:00.000Z"})");
  r = turn("undo", state, tools);
  ASSERT_EQ(tools.calls.size(), 4U);
  EXPECT_EQ(tools.calls[3].tool, "add_task");
  const auto& fields = tools.calls[3].arguments;
  EXPECT_EQ(fields.at("title").as_string(), "Dentist");
  EXPECT_EQ(fields.at("priority").as_string(), "high");
  EXPECT_EQ(fields.at("tags").as_array().size(), 1U);
  EXPECT_FALSE(fields.contains("id"));
  EXPECT_FALSE(state.undo);
  EXPECT_EQ(state.last_task->id, 9);
  EXPECT_EQ(turn("undo", state, tools).text, "There is nothing to undo.");
  EXPECT_EQ(tools.calls.size(), 4U);
}

TEST(BuiltInAssistant, NoKeepsTheTaskWithoutAToolCall) {
  ScriptedTools tools;
  TurnState state;
  state.confirm_delete = TaskRef{7, "Dentist", {}, "pending"};
  EXPECT_EQ(turn("no", state, tools).text, "OK, I kept “Dentist”.");
  EXPECT_TRUE(tools.calls.empty());
  EXPECT_FALSE(state.confirm_delete);
}

TEST(BuiltInAssistant, ANumberAnswersTheChoiceWithTheCommandItWasFor) {
  ScriptedTools tools;
  TurnState state;
  tools.answer(R"({"items":[{"id":1,"title":"call mom"},{"id":2,"title":"call dad"}],
                   "next_cursor":null})");
  auto r = turn("move call to tomorrow 8am", state, tools);
  ASSERT_TRUE(state.choice_for);
  EXPECT_EQ(state.options.size(), 2U);
  EXPECT_EQ(r.actions.size(), 2U);

  tools.answer(R"({"id":2,"title":"call dad","due_at":null,"reminders":[]})");
  tools.answer(R"({"id":2,"title":"call dad","due_at":"2026-12-11T08:00:00.000Z"})");
  r = turn("2", state, tools);
  ASSERT_EQ(tools.calls.size(), 3U);
  EXPECT_EQ(tools.calls[2].tool, "update_task");
  EXPECT_EQ(tools.calls[2].arguments.at("id").as_int64(), 2);
  EXPECT_EQ(tools.calls[2].arguments.at("due_at").as_string(), "2026-12-11T08:00:00.000Z");
  EXPECT_EQ(r.text, "Moved “call dad” to Fri 11 Dec, 08:00.");
  EXPECT_FALSE(state.choice_for);
  ASSERT_TRUE(state.undo);
  EXPECT_TRUE(state.undo->fields.at("due_at").is_null());
}

TEST(BuiltInAssistant, ToolErrorsAreToldPlainly) {
  ScriptedTools tools;
  TurnState state;
  tools.answer(
      R"({"error":{"code":"validation_failed","message":"title is too long","details":{}}})");
  const auto r = turn("add x", state, tools);
  EXPECT_EQ(r.text, "I couldn't add that: title is too long");
  EXPECT_FALSE(state.undo);
}

}  // namespace
}  // namespace tickler::services::assistant
