#include "services/assistant/llm_client.hpp"

#include "base/log.hpp"
#include "http/fetch.hpp"

namespace tickler::services::assistant {
namespace {

core::Result<http::FetchResponse> post(const std::string& url, const std::string& body,
                                       const http::FetchHeaders& headers,
                                       const http::FetchSettings& settings) {
  return http::post_to_operator_endpoint(url, body, headers, settings);
}

}  // namespace

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
  http::FetchHeaders headers{{"Content-Type", "application/json"}};
  if (!api_key_.empty()) headers.emplace_back("Authorization", "Bearer " + api_key_);
  http::FetchSettings settings;
  settings.timeout = timeout;
  settings.max_bytes = answer_bytes_;
  settings.ca_file = ca_file_;
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
    base::log_json(spdlog::level::warn, "the language model answered with an error",
                   {{"status", answer->status}, {"ms", ms}});
    auto error = core::make_error(
        core::Errc::unavailable,
        "the language model answered with HTTP status " + std::to_string(answer->status),
        {{"status", static_cast<std::int64_t>(answer->status)}});
    error.code_name = "model_error";
    co_return error;
  }
  base::log_json(spdlog::level::debug, "the language model answered",
                 {{"status", answer->status}, {"ms", ms}});
  co_return std::move(answer->body);
}
#pragma GCC diagnostic pop

}  // namespace tickler::services::assistant
