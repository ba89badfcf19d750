#pragma once
// The language model the assistant may talk to: an OpenAI-compatible Chat Completions API
// (chat_completions.hpp), set by the operator. ChatModel is what the agent loop calls;
// LlmClient calls the API over libcurl (http/fetch) on threads of its own, so a slow model holds
// neither the I/O threads nor the store's.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "base/offload.hpp"
#include "core/result.hpp"
#include "services/assistant/chat_completions.hpp"

namespace tickler::services::assistant {

// The model and the bounds of a turn with it (docs/assistant.md, "With a language model").
struct LlmSettings {
  std::string url;         // the API's base URL ("http://127.0.0.1:11434/v1"); empty: built-in
  std::string model;       // sent as "model"; the audit actor is "assistant (<model>)"
  std::string api_key;     // sent as Authorization: Bearer when not empty; never logged
  std::string ca_file;     // extra trusted CAs (PEM) for an https URL; empty: the system's
  int max_steps = 8;       // model calls per turn
  int max_tokens = 1024;   // "max_tokens" of each call
  int max_tool_calls = 8;  // tool calls run from one answer; more refused
  std::chrono::milliseconds call_timeout{30'000};  // one model call
  std::chrono::milliseconds turn_timeout{90'000};  // every model call of a turn together
  int history_messages = 20;               // earlier messages of the conversation sent along
  std::size_t tool_result_chars = 16'000;  // a tool's result sent to the model, cut to this
  std::size_t answer_bytes = 1024 * 1024;  // a longer answer from the model is refused
  int concurrency = 4;                     // model calls in flight at once (the client's threads)
  int per_user = 1;  // turns with the model one user may have in flight (ModelSlots)
  std::chrono::milliseconds slot_wait{10'000};  // a turn waits this long for a free slot

  [[nodiscard]] bool configured() const { return !url.empty(); }
};

// The audit actor of a model's tool calls.
[[nodiscard]] std::string llm_actor(const LlmSettings& settings);

// Where the text of a reply goes as it is produced (the chat's event stream), and whether its
// reader went away.
class ReplyStream {
 public:
  virtual ~ReplyStream() = default;
  // Waits until the piece was taken (back-pressure from a slow reader).
  virtual boost::asio::awaitable<void> text(std::string piece) = 0;
  // Set, from any thread, once the reader is gone: the turn stops at the next point it can.
  [[nodiscard]] virtual std::shared_ptr<const std::atomic<bool>> gone() const = 0;
};

class ChatModel {
 public:
  virtual ~ChatModel() = default;
  // A request with "stream": true: each piece of the answer's text goes to `out` (when given) as
  // it arrives; answers the whole message. Errors as complete()'s, and: invalid_json for an
  // unreadable answer, the code name "cut" for an answer that stopped before it finished, and
  // "cancelled" when the reader went away. This default calls complete() and hands the text on
  // whole (a model that does not stream).
  virtual boost::asio::awaitable<core::Result<ModelMessage>> stream(
      const std::string& request, std::chrono::milliseconds timeout, ReplyStream* out);
  // POSTs a request body (completion_request) and answers the body of a 2xx answer. Errors are
  // unavailable, with the code name "timeout" when nothing answered within `timeout`, and
  // "model_error" (details: status) for an answer of another status.
  virtual boost::asio::awaitable<core::Result<std::string>> complete(
      const std::string& request, std::chrono::milliseconds timeout) = 0;
};

class LlmClient final : public ChatModel {
 public:
  explicit LlmClient(const LlmSettings& settings);
  boost::asio::awaitable<core::Result<std::string>> complete(
      const std::string& request, std::chrono::milliseconds timeout) override;
  // Streams over libcurl's write callback (http::post_stream_to_operator_endpoint) on the
  // client's threads; the pieces come back to the caller's executor as they arrive. An answer
  // that is not an event stream (a server that ignores "stream") is read whole.
  boost::asio::awaitable<core::Result<ModelMessage>> stream(const std::string& request,
                                                            std::chrono::milliseconds timeout,
                                                            ReplyStream* out) override;

 private:
  std::string endpoint_;  // {url}/chat/completions
  std::string api_key_;
  std::string ca_file_;
  std::size_t answer_bytes_;
  base::Offload pool_;
};

}  // namespace tickler::services::assistant
