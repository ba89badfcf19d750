// The agent loop against a scripted model and scripted tools: what it sends, which tools it runs,
// and how it ends (an answer, a confirmation, or a failure with what was already done).
#include "services/assistant/agent_loop.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <deque>

namespace tickler::services::assistant {
namespace {

namespace json = boost::json;

constexpr const char* k_task =
    R"({"id":7,"title":"Dentist","description":"","status":"pending","priority":"high",
        "tags":[],"due_at":"2026-12-11T15:00:00.000Z","time_zone":"UTC","reminders":[],
        "recurrence":null,"version":2})";

class ScriptedTools final : public ToolRunner {
 public:
  boost::asio::awaitable<wire::ToolOutcome> call(std::string_view tool,
                                                 const json::object& arguments) override {
    calls.emplace_back(std::string{tool}, arguments);
    wire::ToolOutcome out;
    out.structured = json::parse(k_task).as_object();
    out.text = json::serialize(out.structured);
    co_return out;
  }
  std::vector<std::pair<std::string, json::object>> calls;
};

class ScriptedModel final : public ChatModel {
 public:
  void answer(std::string_view message_json) {
    script_.emplace_back(std::string{R"({"choices":[{"message":)"} + std::string{message_json} +
                         "}]}");
  }
  void fail(core::Error e) { script_.emplace_back(std::move(e)); }
  boost::asio::awaitable<core::Result<std::string>> complete(
      const std::string& request, std::chrono::milliseconds /*timeout*/) override {
    requests.push_back(json::parse(request).as_object());
    if (script_.empty()) co_return core::make_error(core::Errc::unavailable, "unscripted");
    auto next = std::move(script_.front());
    script_.pop_front();
    co_return next;
  }
  std::vector<json::object> requests;

 private:
  std::deque<core::Result<std::string>> script_;
};

std::string call(std::string_view id, std::string_view name, std::string_view args) {
  return std::string{R"({"id":")"} + std::string{id} +
         R"(","type":"function","function":{"name":")" + std::string{name} + R"(","arguments":)" +
         json::serialize(json::string{args}) + "}}";
}

std::string calls(const std::vector<std::string>& each) {
  std::string out = R"({"role":"assistant","content":null,"tool_calls":[)";
  for (std::size_t i = 0; i < each.size(); ++i) out += (i ? "," : "") + each[i];
  return out + "]}";
}

struct Fixture {
  ScriptedTools tools;
  ScriptedModel model;
  TurnState state;
  LlmSettings settings = [] {
    LlmSettings s;
    s.url = "http://127.0.0.1:9/v1";
    s.model = "m";
    return s;
  }();

  Reply say(std::string message, std::vector<store::ConversationMessage> history = {},
            ReplyStream* out = nullptr) {
    boost::asio::io_context ioc;
    const AgentInput input{
        {std::move(message), "Europe/Paris", *core::parse_rfc3339("2026-12-10T12:00:00Z")},
        std::move(history)};
    auto done = boost::asio::co_spawn(ioc, agent_turn(input, state, tools, model, settings, out),
                                      boost::asio::use_future);
    ioc.run();
    return done.get();
  }
};

TEST(AgentLoop, APlainAnswerFromOneCallWithTheSystemPromptHistoryAndTools) {
  Fixture f;
  f.model.answer(R"({"role":"assistant","content":"Hello!"})");
  const auto reply =
      f.say("hi", {{1, "user", "before", "[]", {}}, {2, "assistant", "ok", "[]", {}}});
  EXPECT_EQ(reply.text, "Hello!");
  EXPECT_TRUE(reply.actions.empty());
  ASSERT_EQ(f.model.requests.size(), 1u);
  const auto& r = f.model.requests[0];
  EXPECT_EQ(r.at("model"), "m");
  EXPECT_EQ(r.at("tools").as_array().size(), wire::tool_definitions().size());
  const auto& messages = r.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0].at("role"), "system");
  const std::string system{messages[0].at("content").as_string()};
  EXPECT_NE(system.find("never instructions"), std::string::npos);
  EXPECT_NE(system.find("Thursday 2026-12-10 13:00"), std::string::npos) << system;
  EXPECT_EQ(messages[1], (json::object{{"role", "user"}, {"content", "before"}}));
  EXPECT_EQ(messages[2], (json::object{{"role", "assistant"}, {"content", "ok"}}));
  EXPECT_EQ(messages[3], (json::object{{"role", "user"}, {"content", "hi"}}));
  EXPECT_TRUE(f.tools.calls.empty());
}

// What a reader of the stream got; it may go away after a number of pieces.
class Reader final : public ReplyStream {
 public:
  boost::asio::awaitable<void> text(std::string piece) override {
    pieces.push_back(std::move(piece));
    if (static_cast<int>(pieces.size()) == leave_after) gone_->store(true);
    co_return;
  }
  [[nodiscard]] std::shared_ptr<const std::atomic<bool>> gone() const override { return gone_; }
  std::vector<std::string> pieces;
  int leave_after = -1;
  std::shared_ptr<std::atomic<bool>> gone_ = std::make_shared<std::atomic<bool>>(false);
};

TEST(AgentLoop, TheStreamedTextIsTheReplysTextStepsApartAndItAsksToStream) {
  Fixture f;
  Reader reader;
  f.model.answer(R"({"role":"assistant","content":"Let me look.","tool_calls":[)" +
                 call("c1", "add_task", R"({"text":"dentist friday"})") + "]}");
  f.model.answer(R"({"role":"assistant","content":"Added it."})");
  const auto reply = f.say("add dentist friday", {}, &reader);
  EXPECT_EQ(reply.text, "Let me look.\n\nAdded it.");
  EXPECT_EQ(reader.pieces, (std::vector<std::string>{"Let me look.", "\n\nAdded it."}));
  ASSERT_EQ(f.model.requests.size(), 2u);
  EXPECT_EQ(f.model.requests[0].at("stream"), true);
}

TEST(AgentLoop, AReaderThatGoesAwayStopsTheTurnBeforeTheNextToolCall) {
  Fixture f;
  Reader reader;
  reader.leave_after = 1;
  f.model.answer(R"({"role":"assistant","content":"On it.","tool_calls":[)" +
                 call("c1", "add_task", R"({"text":"dentist friday"})") + "]}");
  const auto reply = f.say("add dentist friday", {}, &reader);
  EXPECT_TRUE(f.tools.calls.empty());
  EXPECT_EQ(f.model.requests.size(), 1u);
  EXPECT_NE(reply.text.find("The chat was closed before I finished, so I stopped. Nothing was "
                            "changed."),
            std::string::npos)
      << reply.text;
}

TEST(AgentLoop, ToolResultsGoBackAsToolMessagesAndChangesBecomeCards) {
  Fixture f;
  f.model.answer(calls({call("c1", "add_task", R"({"text":"dentist friday"})")}));
  f.model.answer(R"({"role":"assistant","content":"Added it."})");
  const auto reply = f.say("add dentist friday");
  EXPECT_EQ(reply.text, "Added it.");
  ASSERT_EQ(f.tools.calls.size(), 1u);
  EXPECT_EQ(f.tools.calls[0].first, "add_task");
  ASSERT_EQ(reply.actions.size(), 1u);
  EXPECT_EQ(reply.actions[0].at("change"), "added");
  const auto& sent = f.model.requests[1].at("messages").as_array();
  EXPECT_EQ(sent[sent.size() - 2].at("tool_calls").at(0).at("id"), "c1");
  EXPECT_EQ(sent.back().at("role"), "tool");
  EXPECT_EQ(sent.back().at("tool_call_id"), "c1");
  EXPECT_EQ(json::parse(sent.back().at("content").as_string()).at("title"), "Dentist");
  ASSERT_TRUE(f.state.undo);
  EXPECT_EQ(f.state.undo->change, "added");
}

TEST(AgentLoop, UnknownToolsAndMalformedArgumentsAreToolErrorsToTheModel) {
  Fixture f;
  f.model.answer(calls({call("a", "drop_database", "{}"), call("b", "get_task", "{id: 7"),
                        call("c", "get_task", "[7]")}));
  f.model.answer(R"({"role":"assistant","content":"Sorry."})");
  EXPECT_EQ(f.say("x").text, "Sorry.");
  EXPECT_TRUE(f.tools.calls.empty());
  const auto& sent = f.model.requests[1].at("messages").as_array();
  const auto n = sent.size();
  for (std::size_t i = n - 3; i < n; ++i) {
    const std::string content{sent[i].at("content").as_string()};
    EXPECT_EQ(content.rfind("Error: ", 0), 0u) << content;
  }
  EXPECT_NE(std::string{sent[n - 3].at("content").as_string()}.find("unknown tool"),
            std::string::npos);
}

TEST(AgentLoop, ADeletionWaitsForThePersonAndTheirYesRunsIt) {
  Fixture f;
  f.model.answer(calls({call("d", "delete_task", R"({"id":7})")}));
  const auto asked = f.say("delete the dentist");
  ASSERT_EQ(f.tools.calls.size(), 1u);
  EXPECT_EQ(f.tools.calls[0].first, "get_task");  // read for the question, not deleted
  ASSERT_TRUE(f.state.confirm_delete);
  EXPECT_EQ(f.state.confirm_delete->id, 7);
  EXPECT_NE(asked.text.find("Answer yes or no"), std::string::npos);
  EXPECT_EQ(asked.actions.back().at("type"), "confirm");
  const auto done = f.say("yes");
  EXPECT_EQ(f.model.requests.size(), 1u);  // the yes is not the model's
  ASSERT_EQ(f.tools.calls.size(), 3u);
  EXPECT_EQ(f.tools.calls[2].first, "delete_task");
  EXPECT_FALSE(f.state.confirm_delete);
  EXPECT_EQ(done.text.rfind("Deleted", 0), 0u) << done.text;
}

TEST(AgentLoop, UndoRestoresTheFieldsTheModelsUpdateChanged) {
  Fixture f;
  f.model.answer(
      calls({call("u", "update_task", R"({"id":7,"priority":"low","expected_version":2})")}));
  f.model.answer(R"({"role":"assistant","content":"Lowered."})");
  f.say("lower the dentist");
  ASSERT_EQ(f.tools.calls.size(), 2u);
  EXPECT_EQ(f.tools.calls[0].first, "get_task");  // the fields before
  ASSERT_TRUE(f.state.undo);
  EXPECT_EQ(f.state.undo->fields, (json::object{{"priority", "high"}}));
  const auto undone = f.say("undo");
  EXPECT_EQ(f.model.requests.size(), 2u);  // undo is the built-in dialogue's
  EXPECT_EQ(f.tools.calls.back().first, "update_task");
  EXPECT_EQ(f.tools.calls.back().second, (json::object{{"id", 7}, {"priority", "high"}}));
  EXPECT_EQ(undone.text.rfind("Undone", 0), 0u) << undone.text;
}

TEST(AgentLoop, AFailureAfterAChangeSaysSoAndReportsTheChange) {
  Fixture f;
  f.model.answer(calls({call("c1", "complete_task", R"({"id":7})")}));
  auto slow = core::make_error(core::Errc::unavailable, "Timeout was reached");
  slow.code_name = "timeout";
  f.model.fail(slow);
  const auto reply = f.say("finish dentist");
  EXPECT_EQ(reply.text,
            "The language model did not answer in time, so I stopped. Before that I had "
            "completed “Dentist”; nothing else was changed. Please try again.");
  ASSERT_EQ(reply.actions.size(), 1u);
  EXPECT_EQ(reply.actions[0].at("change"), "completed");
}

TEST(AgentLoop, ErrorsAndUnreadableAnswersEndTheTurnPlainly) {
  Fixture f;
  auto error = core::make_error(core::Errc::unavailable, "503", {{"status", std::int64_t{503}}});
  error.code_name = "model_error";
  f.model.fail(error);
  EXPECT_EQ(f.say("hi").text,
            "The language model answered with an error (HTTP 503), so I stopped. Nothing was "
            "changed. Please try again.");
  f.model.fail(core::make_error(core::Errc::unavailable, "Couldn't connect to server"));
  EXPECT_EQ(f.say("hi").text.rfind("I couldn't reach the language model", 0), 0u);
  f.model.answer(R"("not a message")");
  EXPECT_EQ(f.say("hi").text.rfind("The language model's answer could not be read", 0), 0u);
}

TEST(AgentLoop, StepsAndToolCallsPerAnswerAreBounded) {
  Fixture f;
  f.settings.max_steps = 3;
  f.settings.max_tool_calls = 2;
  for (int i = 0; i < 5; ++i) {
    f.model.answer(
        calls({call("a", "get_task", R"({"id":7})"), call("b", "get_task", R"({"id":7})"),
               call("c", "get_task", R"({"id":7})")}));
  }
  const auto reply = f.say("loop");
  EXPECT_EQ(f.model.requests.size(), 3u);
  EXPECT_EQ(f.tools.calls.size(), 6u);
  EXPECT_EQ(reply.text.rfind("I stopped after 3 steps", 0), 0u) << reply.text;
  const auto& sent = f.model.requests[1].at("messages").as_array();
  EXPECT_NE(std::string{sent.back().at("content").as_string()}.find("too many tool calls"),
            std::string::npos);
}

}  // namespace
}  // namespace tickler::services::assistant
