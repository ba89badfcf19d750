#include "services/assistant/llm_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include "base/log.hpp"
#include "http/fetch.hpp"
#include "services/assistant/completion_stream.hpp"

namespace tickler::services::assistant {
namespace {

core::Result<http::FetchResponse> post(const std::string& url, const std::string& body,
                                       const http::FetchHeaders& headers,
                                       const http::FetchSettings& settings) {
  return http::post_to_operator_endpoint(url, body, headers, settings);
}

namespace net = boost::asio;

// What every model call sends: JSON, the operator's key as a Bearer token when there is one.
http::FetchHeaders model_headers(const std::string& api_key) {
  http::FetchHeaders headers{{"Content-Type", "application/json"}};
  if (!api_key.empty()) headers.emplace_back("Authorization", "Bearer " + api_key);
  return headers;
}

http::FetchSettings model_fetch(std::chrono::milliseconds timeout, std::size_t answer_bytes,
                                const std::string& ca_file) {
  http::FetchSettings settings;
  settings.timeout = timeout;
  settings.max_bytes = answer_bytes;
  settings.ca_file = ca_file;
  return settings;
}

// A non-2xx answer: logged, and the error the turn reports (code name model_error).
core::Error model_status_error(unsigned status, std::int64_t ms) {
  base::log_json(spdlog::level::warn, "the language model answered with an error",
                 {{"status", status}, {"ms", ms}});
  auto error =
      core::make_error(core::Errc::unavailable,
                       "the language model answered with HTTP status " + std::to_string(status),
                       {{"status", static_cast<std::int64_t>(status)}});
  error.code_name = "model_error";
  return error;
}

// The pieces of a streamed answer on their way from the transfer's thread to the turn's
// executor, and the answer's end. The transfer waits while the turn is behind by more than
// k_behind bytes (the reader's back-pressure reaches the model's connection). The turn's timer
// stays the turn's: the transfer only posts to the turn's executor, and only until the turn said
// it is done reading, so neither outlives the other's executor.
class PieceQueue : public std::enable_shared_from_this<PieceQueue> {
 public:
  static constexpr std::size_t k_behind = 256 * 1024;

  explicit PieceQueue(net::any_io_executor ex) : ex_(std::move(ex)) {}

  // Transfer side.
  void push(std::string_view piece) {
    std::unique_lock lock{mutex_};
    // A reader that stopped taking (its turn ended without us) is not waited for forever.
    if (!room_.wait_for(lock, std::chrono::seconds{60},
                        [&] { return queued_bytes_ < k_behind || reader_done_; })) {
      reader_done_ = true;
    }
    if (reader_done_) return;
    queued_bytes_ += piece.size();
    pieces_.emplace_back(piece);
    nudge();
  }
  void end(core::Result<ModelMessage> result) {
    std::lock_guard lock{mutex_};
    result_ = std::move(result);
    nudge();
  }

  // Turn side: what arrived (waiting on `wake` when nothing did), and the answer once it ended.
  net::awaitable<std::pair<std::deque<std::string>, std::optional<core::Result<ModelMessage>>>>
  take(net::steady_timer& wake) {
    for (;;) {
      {
        std::lock_guard lock{mutex_};
        if (!pieces_.empty() || result_) {
          std::deque<std::string> out;
          out.swap(pieces_);
          queued_bytes_ = 0;
          room_.notify_all();
          wake_ = nullptr;
          co_return std::pair{std::move(out), std::exchange(result_, std::nullopt)};
        }
        wake_ = &wake;
      }
      // A nudge is posted to this executor, so it cannot run between the check and this wait.
      wake.expires_at(net::steady_timer::time_point::max());
      co_await wake.async_wait(net::as_tuple(net::use_awaitable));
    }
  }
  void reader_done() {
    std::lock_guard lock{mutex_};
    reader_done_ = true;
    wake_ = nullptr;
    room_.notify_all();
  }

 private:
  // Under the mutex. Wakes the turn on its executor (never after it is done reading).
  void nudge() {
    if (reader_done_) return;
    net::post(ex_, [self = shared_from_this()] {
      std::lock_guard lock{self->mutex_};
      if (self->wake_) self->wake_->cancel();
    });
  }

  net::any_io_executor ex_;
  std::mutex mutex_;
  std::condition_variable room_;
  std::deque<std::string> pieces_;
  std::size_t queued_bytes_ = 0;
  std::optional<core::Result<ModelMessage>> result_;
  bool reader_done_ = false;
  net::steady_timer* wake_ = nullptr;  // the turn's, while it waits
};

// The answer of a streamed request: an event stream read by CompletionStream, or (a server that
// ignores "stream") one JSON answer.
core::Result<ModelMessage> read_streamed(const std::string& endpoint, const std::string& request,
                                         const http::FetchHeaders& headers,
                                         const http::FetchSettings& settings,
                                         const std::shared_ptr<PieceQueue>& queue,
                                         const std::shared_ptr<const std::atomic<bool>>& gone) {
  CompletionStream parser;
  bool event_stream = false;
  const auto on_text = [&](std::string_view piece) { queue->push(piece); };
  const http::FetchPiece on_piece = [&](unsigned status, std::string_view type,
                                        std::string_view piece) {
    if (status < 200 || status > 299) return true;  // read whole below
    event_stream = type.starts_with("text/event-stream");
    if (event_stream) (void)parser.feed(piece, on_text);
    return true;
  };
  const std::function<bool()> stop = [&] { return gone && gone->load(); };
  const auto started = std::chrono::steady_clock::now();
  auto answer =
      http::post_stream_to_operator_endpoint(endpoint, request, headers, settings, on_piece, stop);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  if (!answer) {
    const bool cancelled = answer.error().code_name == "cancelled";
    base::log_json(cancelled ? spdlog::level::info : spdlog::level::warn,
                   cancelled ? "the language model's answer was dropped: the reader went away"
                             : "the language model did not answer",
                   {{"error", answer.error().message}, {"ms", ms}});
    return answer.error();
  }
  if (answer->status < 200 || answer->status > 299) {
    return model_status_error(answer->status, ms);
  }
  auto message = event_stream ? parser.finish(on_text) : parse_completion(answer->body);
  if (!message) {
    base::log_json(spdlog::level::warn, "the language model's answer was unusable",
                   {{"error", message.error().message}, {"ms", ms}});
    return message;
  }
  if (!event_stream && !message->content.empty()) on_text(message->content);
  base::log_json(spdlog::level::debug, "the language model answered",
                 {{"status", answer->status}, {"ms", ms}, {"streamed", event_stream}});
  return message;
}

}  // namespace

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224, as in assistant_service.cpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
boost::asio::awaitable<core::Result<ModelMessage>> ChatModel::stream(
    const std::string& request, std::chrono::milliseconds timeout, ReplyStream* out) {
  auto body = co_await complete(request, timeout);
  if (!body) co_return body.error();
  auto message = parse_completion(*body);
  if (message && out && !message->content.empty()) {
    auto text = message->content;
    co_await out->text(std::move(text));
  }
  co_return message;
}
#pragma GCC diagnostic pop

std::string llm_actor(const LlmSettings& settings) {
  constexpr std::size_t k_longest = 100;
  auto model = settings.model.substr(0, k_longest);
  return "assistant (" + (model.empty() ? std::string{"model"} : model) + ")";
}

LlmClient::LlmClient(const LlmSettings& settings)
    : endpoint_(settings.url),
      api_key_(settings.api_key),
      ca_file_(settings.ca_file),
      answer_bytes_(settings.answer_bytes),
      pool_(std::max(1, settings.concurrency)) {
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
  endpoint_ += "/chat/completions";
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224, as in assistant_service.cpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
boost::asio::awaitable<core::Result<std::string>> LlmClient::complete(
    const std::string& request, std::chrono::milliseconds timeout) {
  const auto headers = model_headers(api_key_);
  const auto settings = model_fetch(timeout, answer_bytes_, ca_file_);
  const auto started = std::chrono::steady_clock::now();
  auto answer = co_await pool_.call(&post, endpoint_, request, headers, settings);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  if (!answer) {
    base::log_json(spdlog::level::warn, "the language model did not answer",
                   {{"error", answer.error().message}, {"ms", ms}});
    co_return answer.error();
  }
  if (answer->status < 200 || answer->status > 299) {
    co_return model_status_error(answer->status, ms);
  }
  base::log_json(spdlog::level::debug, "the language model answered",
                 {{"status", answer->status}, {"ms", ms}});
  co_return std::move(answer->body);
}

boost::asio::awaitable<core::Result<ModelMessage>> LlmClient::stream(
    const std::string& request, std::chrono::milliseconds timeout, ReplyStream* out) {
  const auto headers = model_headers(api_key_);
  const auto settings = model_fetch(timeout, answer_bytes_, ca_file_);
  const auto ex = co_await net::this_coro::executor;
  auto queue = std::make_shared<PieceQueue>(ex);
  net::steady_timer wake{ex};
  auto gone = out ? out->gone() : nullptr;
  pool_.post([queue, gone, endpoint = endpoint_, request, headers, settings] {
    queue->end(read_streamed(endpoint, request, headers, settings, queue, gone));
  });
  for (;;) {
    auto [pieces, result] = co_await queue->take(wake);
    for (auto& piece : pieces) {
      if (out) co_await out->text(std::move(piece));
    }
    if (result) {
      queue->reader_done();
      co_return std::move(*result);
    }
  }
}
#pragma GCC diagnostic pop

}  // namespace tickler::services::assistant
