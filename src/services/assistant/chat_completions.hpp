#pragma once
// The wire format of an OpenAI-compatible Chat Completions API with tool calling (OpenAI,
// Ollama, llama.cpp server, vLLM): the tool registry as function tools, the request body of
// POST {url}/chat/completions, and the model's answer read back. Pure: no I/O.
//   request:  {"model","messages":[{"role":"system"|"user"|"assistant"|"tool",…}],
//              "tools":[{"type":"function","function":{"name","description","parameters"}}],
//              "max_tokens", "stream"?}                (no tool_choice: the API's "auto")
//   answer:   {"choices":[{"message":{"role":"assistant","content":"…"|null,
//              "tool_calls":[{"id","type":"function","function":{"name","arguments":"{…}"}}]},
//              "finish_reason"}]}
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "wire/tool_registry.hpp"

namespace tickler::services::assistant {

// One call the model asks for. `arguments` is the JSON text it sent (not yet read: it may be
// malformed, and is answered as a tool error then).
struct ModelToolCall {
  std::string id;
  std::string name;
  std::string arguments;
};

// The assistant message of one answer.
struct ModelMessage {
  std::string content;  // empty when the model only calls tools
  std::vector<ModelToolCall> tool_calls;
  std::string finish_reason;  // "stop", "tool_calls", "length", … (empty when absent)
};

// Every tool as an OpenAI function tool: name, description, parameters = its input schema.
[[nodiscard]] boost::json::array function_tools(const std::vector<wire::ToolDefinition>& tools);

// `stream`: ask for the answer as Server-Sent Events (completion_stream.hpp).
[[nodiscard]] boost::json::object completion_request(std::string_view model,
                                                     const boost::json::array& messages,
                                                     const boost::json::array& tools,
                                                     int max_tokens, bool stream = false);

// The first choice's message; invalid_json when the body is not a Chat Completions answer (no
// choices, no message, a tool call without a function name).
[[nodiscard]] core::Result<ModelMessage> parse_completion(std::string_view body);

// A tool call's arguments as an object: validation_failed saying why not ("" reads as {}).
[[nodiscard]] core::Result<boost::json::object> parse_arguments(std::string_view text);

// The messages sent back: the model's own message (with its tool calls), and a tool's result.
[[nodiscard]] boost::json::object assistant_message(const ModelMessage& message);
[[nodiscard]] boost::json::object tool_message(std::string_view tool_call_id,
                                               std::string_view content);

}  // namespace tickler::services::assistant
