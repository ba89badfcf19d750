#pragma once
// A streamed Chat Completions answer ("stream": true) read as it arrives. Pure: no I/O.
// The answer is Server-Sent Events whose data are chunks
//   {"choices":[{"index":0,"delta":{"content":"…"|null,
//     "tool_calls":[{"index":0,"id"?,"type"?,"function":{"name"?,"arguments"?:"…piece…"}}]},
//     "finish_reason":null|"stop"|"tool_calls"|"length"}]}
// ending with `data: [DONE]`. The text is handed on piece by piece; a tool call arrives in pieces
// too (its id and name once, its arguments a piece at a time) and is joined by its index.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "services/assistant/chat_completions.hpp"

namespace tickler::services::assistant {

class CompletionStream {
 public:
  using OnText = std::function<void(std::string_view piece)>;

  // Reads the next bytes of the body (split anywhere: mid-line, mid-character); each piece of
  // text the model says goes to `on_text`. False once the stream is unreadable (kept for finish).
  bool feed(std::string_view bytes, const OnText& on_text);

  // The whole message once the body ended (an unfinished last event's text to `on_text`). Errors:
  // invalid_json for an unreadable chunk or a tool call without a name; unavailable with the code
  // name "model_error" for an error chunk
  // ({"error":{…}}), and "cut" when the body ended before `[DONE]` or a finish_reason (the model
  // stopped mid-answer).
  [[nodiscard]] core::Result<ModelMessage> finish(const OnText& on_text = {});

  // Whether any text was said so far.
  [[nodiscard]] bool said_anything() const { return !message_.content.empty(); }

 private:
  void line(std::string_view text, const OnText& on_text);
  void event(const OnText& on_text);
  void chunk(std::string_view data, const OnText& on_text);

  std::string pending_;  // the bytes of an unfinished line
  std::string data_;     // the data lines of the event being read
  bool has_data_ = false;
  ModelMessage message_;
  std::map<std::int64_t, ModelToolCall> calls_;  // by index
  bool done_ = false;                            // [DONE] or a finish_reason seen
  std::optional<core::Error> error_;
};

}  // namespace tickler::services::assistant
