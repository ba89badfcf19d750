#include "services/assistant/chat_stream.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace tickler::services::assistant {
namespace {

std::vector<std::pair<std::string, boost::json::value>> events_of(const std::string& stream) {
  std::vector<std::pair<std::string, boost::json::value>> out;
  std::size_t at = 0;
  while (at < stream.size()) {
    const auto end = stream.find("\n\n", at);
    EXPECT_NE(end, std::string::npos);
    const auto block = stream.substr(at, end - at);
    const auto nl = block.find('\n');
    EXPECT_EQ(block.substr(0, 7), "event: ");
    EXPECT_EQ(block.substr(nl + 1, 6), "data: ");
    out.emplace_back(block.substr(7, nl - 7), boost::json::parse(block.substr(nl + 7)));
    at = end + 2;
  }
  return out;
}

TEST(ChatStream, EventsCarryTheReplyPieceByPieceThenTheWhole) {
  Reply reply{"Due today:\n1. “a”\n2. “b”", {}};
  reply.actions.push_back(boost::json::object{{"type", "task"}, {"id", 1}});
  TurnState state;
  const auto at = *core::parse_rfc3339("2026-12-10T12:00:00Z");
  const auto events = events_of(chat_events("c1", reply, at, state));
  ASSERT_EQ(events.size(), 6U);
  EXPECT_EQ(events[0].first, "conversation");
  EXPECT_EQ(events[0].second.at("conversation_id").as_string(), "c1");
  std::string text;
  for (std::size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(events[i].first, "delta");
    text += events[i].second.at("text").as_string();
  }
  EXPECT_EQ(text, reply.text);
  EXPECT_EQ(events[4].first, "action");
  EXPECT_EQ(events[4].second.at("id"), 1);
  EXPECT_EQ(events[5].first, "done");
  EXPECT_EQ(events[5].second, boost::json::value(chat_json("c1", reply, at, state)));
  EXPECT_EQ(events[5].second.at("message").at("text").as_string(), reply.text);
  EXPECT_TRUE(events[5].second.at("awaiting").is_null());
}

// A streamed answer's events, pieced together, are those of the complete answer: the
// conversation, the text (what was streamed, then the rest a line at a time), actions, done.
TEST(ChatStream, TheStreamedEventsAddUpToTheCompleteAnswer) {
  const auto at = *core::parse_rfc3339("2026-12-06T10:00:00Z");
  TurnState state;
  Reply reply{"one\ntwo\nthree", boost::json::array{boost::json::object{{"type", "confirm"}}}};
  // Nothing streamed yet (the built-in assistant): the same events as a complete answer.
  EXPECT_EQ(conversation_event("c1") + unsent_events(reply.text, "") +
                closing_events("c1", reply, at, state),
            chat_events("c1", reply, at, state));
  // Partly streamed: the rest follows; all streamed: nothing more.
  EXPECT_EQ(unsent_events(reply.text, "one\ntw"), delta_event("o") + delta_event("\nthree"));
  EXPECT_EQ(unsent_events(reply.text, reply.text), "");
  EXPECT_EQ(unsent_events("", ""), delta_event(""));
  EXPECT_EQ(error_event(R"({"error":{"code":"conversation_busy"}})"),
            "event: error\ndata: {\"error\":{\"code\":\"conversation_busy\"}}\n\n");
}

TEST(ChatStream, AwaitingNamesThePendingQuestion) {
  TurnState state;
  EXPECT_TRUE(awaiting(state).is_null());
  state.confirm_delete = TaskRef{1, "x", {}, "pending"};
  EXPECT_EQ(awaiting(state).as_string(), "confirmation");
  state.confirm_delete.reset();
  state.choice_for = Command{};
  EXPECT_EQ(awaiting(state).as_string(), "choice");
}

TEST(ChatStream, JsonOnlyWhenAskedForAndNotTheStream) {
  EXPECT_TRUE(wants_json("application/json"));
  EXPECT_TRUE(wants_json("application/json, text/plain"));
  EXPECT_FALSE(wants_json(""));
  EXPECT_FALSE(wants_json("*/*"));
  EXPECT_FALSE(wants_json("text/event-stream"));
  EXPECT_FALSE(wants_json("text/event-stream, application/json"));
}

}  // namespace
}  // namespace tickler::services::assistant
