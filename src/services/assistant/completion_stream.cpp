#include "services/assistant/completion_stream.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace tickler::services::assistant {
namespace {

namespace json = boost::json;

constexpr std::int64_t k_most_calls = 64;  // tool call indexes above are refused

core::Error unreadable(std::string why) {
  return core::make_error(core::Errc::invalid_json, "not a Chat Completions stream: " + why);
}

std::string string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string{v->as_string()} : std::string{};
}

}  // namespace

bool CompletionStream::feed(std::string_view bytes, const OnText& on_text) {
  for (;;) {
    if (error_) return false;
    const auto nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      pending_.append(bytes);
      if (pending_.size() > 1024 * 1024) error_ = unreadable("a line over 1 MiB");
      return !error_;
    }
    pending_.append(bytes.substr(0, nl));
    bytes.remove_prefix(nl + 1);
    std::string text = std::move(pending_);
    pending_.clear();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    line(text, on_text);
  }
}

void CompletionStream::line(std::string_view text, const OnText& on_text) {
  if (text.empty()) {
    event(on_text);
    return;
  }
  if (text.starts_with(':')) return;  // a comment (keep-alive)
  const auto colon = text.find(':');
  const auto field = text.substr(0, colon);
  auto value = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  if (field != "data") return;  // event:, id:, retry: say nothing here
  if (has_data_) data_ += '\n';
  data_ += value;
  has_data_ = true;
}

void CompletionStream::event(const OnText& on_text) {
  if (!has_data_) return;
  std::string data = std::move(data_);
  data_.clear();
  has_data_ = false;
  chunk(data, on_text);
}

void CompletionStream::chunk(std::string_view data, const OnText& on_text) {
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  boost::system::error_code ec;
  auto v = json::parse(data, ec);
  if (ec || !v.is_object()) {
    error_ = unreadable("a chunk is not a JSON object");
    return;
  }
  const auto& o = v.as_object();
  if (const auto* e = o.if_contains("error"); e && !e->is_null()) {
    const auto* message = e->is_object() ? e->as_object().if_contains("message") : nullptr;
    auto error = core::make_error(
        core::Errc::unavailable,
        "the language model reported an error" +
            (message && message->is_string() ? ": " + std::string{message->as_string()} : ""));
    error.code_name = "model_error";
    error_ = std::move(error);
    return;
  }
  const auto* choices = o.if_contains("choices");
  if (!choices || !choices->is_array()) {
    error_ = unreadable("a chunk without choices");
    return;
  }
  if (choices->as_array().empty()) return;  // a usage-only chunk
  const auto* choice = choices->as_array().front().if_object();
  if (!choice) {
    error_ = unreadable("a choice is not an object");
    return;
  }
  if (auto reason = string_at(*choice, "finish_reason"); !reason.empty()) {
    message_.finish_reason = std::move(reason);
    done_ = true;
  }
  const auto* delta_value = choice->if_contains("delta");
  const auto* delta = delta_value ? delta_value->if_object() : nullptr;
  if (!delta) return;
  if (const auto* content = delta->if_contains("content"); content && content->is_string()) {
    const std::string_view piece = content->as_string();
    if (!piece.empty()) {
      message_.content += piece;
      if (on_text) on_text(piece);
    }
  }
  const auto* calls = delta->if_contains("tool_calls");
  if (!calls || calls->is_null()) return;
  if (!calls->is_array()) {
    error_ = unreadable("tool_calls is not an array");
    return;
  }
  for (const auto& c : calls->as_array()) {
    const auto* call = c.if_object();
    const auto* index = call ? call->if_contains("index") : nullptr;
    // Some servers send each call whole without an index: one after another.
    const std::int64_t at = index && index->is_int64() ? index->as_int64()
                            : index                    ? -1
                                                       : static_cast<std::int64_t>(calls_.size());
    if (!call || at < 0 || at >= k_most_calls) {
      error_ = unreadable("a tool call without a usable index");
      return;
    }
    auto& joined = calls_[at];
    if (auto id = string_at(*call, "id"); !id.empty()) joined.id = std::move(id);
    const auto* function_value = call->if_contains("function");
    const auto* function = function_value ? function_value->if_object() : nullptr;
    if (!function) continue;
    // The name comes once (some servers repeat it with every piece).
    if (auto name = string_at(*function, "name"); !name.empty() && joined.name.empty()) {
      joined.name = std::move(name);
    }
    if (const auto* args = function->if_contains("arguments"); args && !args->is_null()) {
      joined.arguments +=
          args->is_string() ? std::string{args->as_string()} : json::serialize(*args);
    }
  }
}

core::Result<ModelMessage> CompletionStream::finish(const OnText& on_text) {
  if (!error_ && !pending_.empty()) {
    std::string text = std::move(pending_);
    pending_.clear();
    line(text, on_text);
  }
  if (!error_) event(on_text);
  if (error_) return *error_;
  if (!done_) {
    auto error = core::make_error(core::Errc::unavailable,
                                  "the language model's answer ended before it finished");
    error.code_name = "cut";
    return error;
  }
  ModelMessage out = message_;
  int n = 0;
  for (auto& [index, call] : calls_) {
    ++n;
    if (call.name.empty()) return unreadable("a tool call without a name");
    if (call.id.empty()) call.id = "call_" + std::to_string(n);
    out.tool_calls.push_back(call);
  }
  return out;
}

}  // namespace tickler::services::assistant
