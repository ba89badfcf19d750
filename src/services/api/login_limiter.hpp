#pragma once
// Counts failed logins per key (client IP + email) in a sliding window; past the limit, further
// attempts are refused until the oldest failure leaves the window. Thread-safe, bounded memory.
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/time.hpp"

namespace tickler::services::api {

struct LoginLimiterSettings {
  int max_failures = 10;
  std::chrono::seconds window{std::chrono::minutes{5}};
  std::size_t max_keys = 100'000;  // beyond this, the stalest keys are forgotten first
};

class LoginLimiter {
 public:
  explicit LoginLimiter(LoginLimiterSettings settings = {}) : settings_(settings) {}
  // When blocked: how long until the next attempt is allowed.
  [[nodiscard]] std::optional<std::chrono::seconds> blocked(const std::string& key,
                                                            core::Instant now);
  void record_failure(const std::string& key, core::Instant now);
  void reset(const std::string& key);

 private:
  void prune(std::deque<core::Instant>& failures, core::Instant now) const;
  LoginLimiterSettings settings_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<core::Instant>> failures_;
};

}  // namespace tickler::services::api
