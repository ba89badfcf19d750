// The Chat Completions wire format: the registry as function tools, the request, and the model's
// answers read back, malformed ones included.
#include "services/assistant/chat_completions.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace tickler::services::assistant {
namespace {

namespace json = boost::json;

TEST(FunctionTools, EveryToolOfTheRegistryAsAFunctionWithItsInputSchema) {
  const auto& registry = wire::tool_definitions();
  const auto tools = function_tools(registry);
  ASSERT_EQ(tools.size(), registry.size());
  for (std::size_t i = 0; i < registry.size(); ++i) {
    const auto& t = tools[i].as_object();
    EXPECT_EQ(t.at("type"), "function");
    const auto& f = t.at("function").as_object();
    EXPECT_EQ(f.size(), 3u);
    EXPECT_EQ(std::string_view{f.at("name").as_string()}, registry[i].name);
    EXPECT_EQ(std::string_view{f.at("description").as_string()}, registry[i].description);
    EXPECT_EQ(f.at("parameters"), registry[i].input_schema);
    EXPECT_EQ(f.at("parameters").at("type"), "object") << registry[i].name;
  }
}

TEST(CompletionRequest, ModelMessagesToolsAndMaxTokensWithoutToolChoice) {
  const json::array messages{json::object{{"role", "user"}, {"content", "hi"}}};
  const json::array tools{json::object{{"type", "function"}}};
  const auto r = completion_request("llama3.1", messages, tools, 512);
  EXPECT_EQ(r.at("model"), "llama3.1");
  EXPECT_EQ(r.at("messages"), messages);
  EXPECT_EQ(r.at("tools"), tools);
  EXPECT_EQ(r.at("max_tokens"), 512);
  EXPECT_FALSE(r.contains("tool_choice"));
  EXPECT_FALSE(r.contains("stream"));
}

TEST(ParseCompletion, APlainAnswer) {
  auto m = parse_completion(
      R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":
          {"role":"assistant","content":"Hello!"},"finish_reason":"stop"}]})");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->content, "Hello!");
  EXPECT_TRUE(m->tool_calls.empty());
  EXPECT_EQ(m->finish_reason, "stop");
}

TEST(ParseCompletion, ToolCallsWithTheirArgumentsAsSent) {
  auto m = parse_completion(
      R"({"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[
          {"id":"call_1","type":"function","function":{"name":"list_tasks","arguments":"{\"q\":\"dentist\"}"}},
          {"id":"call_2","type":"function","function":{"name":"get_task","arguments":"not json"}},
          {"type":"function","function":{"name":"add_task","arguments":{"title":"x"}}}]},
          "finish_reason":"tool_calls"}]})");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->content, "");
  ASSERT_EQ(m->tool_calls.size(), 3u);
  EXPECT_EQ(m->tool_calls[0].id, "call_1");
  EXPECT_EQ(m->tool_calls[0].name, "list_tasks");
  EXPECT_EQ(m->tool_calls[0].arguments, R"({"q":"dentist"})");
  EXPECT_EQ(m->tool_calls[1].arguments, "not json");
  EXPECT_EQ(m->tool_calls[2].id, "call_3");  // given one
  EXPECT_EQ(m->tool_calls[2].arguments, R"({"title":"x"})");
}

TEST(ParseCompletion, WhatIsNotAnAnswerIsRefused) {
  for (const char* body :
       {"", "not json", "[]", "{}", R"({"choices":[]})", R"({"choices":[{}]})",
        R"({"choices":["x"]})", R"({"error":{"message":"overloaded"}})",
        R"({"choices":[{"message":{"tool_calls":{}}}]})",
        R"({"choices":[{"message":{"tool_calls":[{"id":"a"}]}}]})",
        R"({"choices":[{"message":{"tool_calls":[{"id":"a","function":{"arguments":"{}"}}]}}]})"}) {
    auto m = parse_completion(body);
    ASSERT_FALSE(m) << body;
    EXPECT_EQ(m.error().code, core::Errc::invalid_json) << body;
  }
}

TEST(ParseArguments, AnObjectOrWhyNot) {
  EXPECT_EQ(*parse_arguments(R"({"id":7})"), (json::object{{"id", 7}}));
  EXPECT_EQ(*parse_arguments(""), json::object{});
  EXPECT_EQ(*parse_arguments("  "), json::object{});
  for (const char* text : {"{", "id=7", "[1]", "7", "\"x\"", "null"}) {
    auto a = parse_arguments(text);
    ASSERT_FALSE(a) << text;
    EXPECT_EQ(a.error().code, core::Errc::validation_failed) << text;
  }
}

TEST(Messages, TheModelsMessageIsSentBackWithItsCallsAndEachResultAsAToolMessage) {
  ModelMessage m;
  m.tool_calls = {{"call_1", "list_tasks", "{}"}};
  EXPECT_EQ(json::value(assistant_message(m)),
            json::parse(R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1",
                "type":"function","function":{"name":"list_tasks","arguments":"{}"}}]})"));
  m.tool_calls.clear();
  m.content = "Done.";
  EXPECT_EQ(json::value(assistant_message(m)),
            json::parse(R"({"role":"assistant","content":"Done."})"));
  EXPECT_EQ(json::value(tool_message("call_1", "[]")),
            json::parse(R"({"role":"tool","tool_call_id":"call_1","content":"[]"})"));
}

}  // namespace
}  // namespace tickler::services::assistant
