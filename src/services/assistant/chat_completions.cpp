#include "services/assistant/chat_completions.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace tickler::services::assistant {
namespace {

namespace json = boost::json;

core::Error not_an_answer(std::string why) {
  return core::make_error(core::Errc::invalid_json, "not a Chat Completions answer: " + why);
}

const json::object* object_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

std::string string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string{v->as_string()} : std::string{};
}

}  // namespace

json::array function_tools(const std::vector<wire::ToolDefinition>& tools) {
  json::array out;
  for (const auto& t : tools) {
    out.push_back(json::object{
        {"type", "function"},
        {"function",
         {{"name", t.name}, {"description", t.description}, {"parameters", t.input_schema}}}});
  }
  return out;
}

json::object completion_request(std::string_view model, const json::array& messages,
                                const json::array& tools, int max_tokens, bool stream) {
  json::object out{{"model", model}, {"messages", messages}, {"max_tokens", max_tokens}};
  if (!tools.empty()) out["tools"] = tools;
  if (stream) out["stream"] = true;
  return out;
}

core::Result<ModelMessage> parse_completion(std::string_view body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return not_an_answer("not a JSON object");
  const auto* choices = v.as_object().if_contains("choices");
  if (!choices || !choices->is_array() || choices->as_array().empty() ||
      !choices->as_array().front().is_object()) {
    return not_an_answer("no choices");
  }
  const auto& choice = choices->as_array().front().as_object();
  const auto* message = object_at(choice, "message");
  if (!message) return not_an_answer("no message");
  ModelMessage out;
  out.finish_reason = string_at(choice, "finish_reason");
  out.content = string_at(*message, "content");
  const auto* calls = message->if_contains("tool_calls");
  if (calls && !calls->is_null()) {
    if (!calls->is_array()) return not_an_answer("tool_calls is not an array");
    int n = 0;
    for (const auto& c : calls->as_array()) {
      ++n;
      const auto* function = c.is_object() ? object_at(c.as_object(), "function") : nullptr;
      if (!function) return not_an_answer("a tool call without a function");
      ModelToolCall call;
      call.id = string_at(c.as_object(), "id");
      // Some servers leave the id out; the answer to the call still needs one.
      if (call.id.empty()) call.id = "call_" + std::to_string(n);
      call.name = string_at(*function, "name");
      if (call.name.empty()) return not_an_answer("a tool call without a name");
      const auto* args = function->if_contains("arguments");
      if (args && args->is_string()) {
        call.arguments = args->as_string();
      } else if (args && args->is_object()) {  // some servers send the object itself
        call.arguments = json::serialize(*args);
      } else if (args && !args->is_null()) {
        call.arguments = json::serialize(*args);  // read (and refused) as arguments
      }
      out.tool_calls.push_back(std::move(call));
    }
  }
  return out;
}

core::Result<json::object> parse_arguments(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object{};
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) {
    return core::make_error(core::Errc::validation_failed, "the arguments are not JSON");
  }
  if (!v.is_object()) {
    return core::make_error(core::Errc::validation_failed, "the arguments must be a JSON object");
  }
  return std::move(v.as_object());
}

json::object assistant_message(const ModelMessage& message) {
  json::object out{{"role", "assistant"}};
  out["content"] = message.content.empty() && !message.tool_calls.empty()
                       ? json::value(nullptr)
                       : json::value(message.content);
  if (!message.tool_calls.empty()) {
    json::array calls;
    for (const auto& c : message.tool_calls) {
      calls.push_back(json::object{{"id", c.id},
                                   {"type", "function"},
                                   {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
    }
    out["tool_calls"] = std::move(calls);
  }
  return out;
}

json::object tool_message(std::string_view tool_call_id, std::string_view content) {
  return {{"role", "tool"}, {"tool_call_id", tool_call_id}, {"content", content}};
}

}  // namespace tickler::services::assistant
