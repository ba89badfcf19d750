// A streamed Chat Completions answer read piece by piece: text handed on as it arrives, tool calls
// joined by index across chunks, a stream that stops mid-answer or says something unreadable.
#include "services/assistant/completion_stream.hpp"

#include <gtest/gtest.h>

namespace tickler::services::assistant {
namespace {

std::string chunk(std::string_view delta, std::string_view finish = "null") {
  return "data: {\"choices\":[{\"index\":0,\"delta\":" + std::string{delta} +
         ",\"finish_reason\":" + std::string{finish} + "}]}\n\n";
}

TEST(CompletionStream, TextIsHandedOnAsItArrivesEvenSplitMidLine) {
  const std::string body = chunk(R"({"role":"assistant","content":"Hel"})") +
                           chunk(R"({"content":"lo “wor"})") + chunk(R"({"content":"ld”"})") +
                           chunk("{}", "\"stop\"") + "data: [DONE]\n\n";
  CompletionStream s;
  std::vector<std::string> pieces;
  // Three bytes at a time: lines, JSON and UTF-8 characters all split.
  for (std::size_t i = 0; i < body.size(); i += 3) {
    ASSERT_TRUE(s.feed(std::string_view{body}.substr(i, 3),
                       [&](std::string_view p) { pieces.emplace_back(p); }));
  }
  EXPECT_EQ(pieces, (std::vector<std::string>{"Hel", "lo “wor", "ld”"}));
  auto m = s.finish();
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->content, "Hello “world”");
  EXPECT_EQ(m->finish_reason, "stop");
  EXPECT_TRUE(m->tool_calls.empty());
}

TEST(CompletionStream, ToolCallsAreJoinedByIndexAcrossChunks) {
  const std::string body =
      chunk(
          R"({"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"list_tasks","arguments":""}}]})") +
      chunk(
          R"({"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_task","arguments":"{\"id\""}}]})") +
      chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"q\":"}}]})") +
      chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"\"dentist\"}"}}]})") +
      chunk(R"({"tool_calls":[{"index":1,"function":{"arguments":":7}"}}]})") +
      chunk("{}", "\"tool_calls\"") + "data: [DONE]\n\n";
  CompletionStream s;
  int texts = 0;
  ASSERT_TRUE(s.feed(body, [&](std::string_view) { ++texts; }));
  auto m = s.finish();
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(texts, 0);
  ASSERT_EQ(m->tool_calls.size(), 2u);
  EXPECT_EQ(m->tool_calls[0].id, "call_a");
  EXPECT_EQ(m->tool_calls[0].name, "list_tasks");
  EXPECT_EQ(m->tool_calls[0].arguments, R"({"q":"dentist"})");
  EXPECT_EQ(m->tool_calls[1].name, "get_task");
  EXPECT_EQ(m->tool_calls[1].arguments, R"({"id":7})");
  EXPECT_EQ(m->finish_reason, "tool_calls");
}

TEST(CompletionStream, AStreamThatStopsMidAnswerIsCut) {
  CompletionStream s;
  ASSERT_TRUE(s.feed(chunk(R"({"content":"I will add"})"), {}));
  auto m = s.finish();
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code_name, "cut");
  EXPECT_TRUE(s.said_anything());
}

TEST(CompletionStream, UnreadableChunksErrorsAndNamelessCalls) {
  CompletionStream bad;
  EXPECT_FALSE(bad.feed("data: {not json\n\n", {}));
  EXPECT_EQ(bad.finish().error().code, core::Errc::invalid_json);

  CompletionStream error;
  EXPECT_FALSE(error.feed("data: {\"error\":{\"message\":\"overloaded\"}}\n\n", {}));
  auto e = error.finish();
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code_name, "model_error");
  EXPECT_NE(e.error().message.find("overloaded"), std::string::npos);

  CompletionStream nameless;
  ASSERT_TRUE(nameless.feed(
      chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]})") + "data: [DONE]\n\n",
      {}));
  EXPECT_EQ(nameless.finish().error().code, core::Errc::invalid_json);

  CompletionStream far;
  EXPECT_FALSE(far.feed(chunk(R"({"tool_calls":[{"index":5000,"function":{"name":"x"}}]})"), {}));
}

TEST(CompletionStream, CommentsOtherFieldsAndCrLfAreIgnored) {
  CompletionStream s;
  std::string got;
  ASSERT_TRUE(
      s.feed(": keep-alive\r\nevent: x\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"ok\"},"
             "\"finish_reason\":\"stop\"}]}\r\n\r\n",
             [&](std::string_view p) { got += p; }));
  auto m = s.finish();
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(got, "ok");
}

}  // namespace
}  // namespace tickler::services::assistant
