#pragma once
// Counts failed logins per key (client IP + email) in a sliding window; past the limit, further
// attempts are refused until the oldest failure leaves the window. Thread-safe, bounded memory.
// A login acquire()s an attempt before the slow password check: the check and the count are one
// step under the lock, so concurrent attempts cannot all pass a check made before any is counted.
// The attempt counts as a failure unless the login succeeds (reset) or is given back (release).
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
  // Atomically: the wait when the key is at its limit, else nullopt with one attempt counted at
  // now.
  [[nodiscard]] std::optional<std::chrono::seconds> acquire(const std::string& key,
                                                            core::Instant now);
  // Gives back an attempt acquired at `at` that neither failed nor succeeded (a store error).
  void release(const std::string& key, core::Instant at);
  void record_failure(const std::string& key, core::Instant now);
  void reset(const std::string& key);

 private:
  void prune(std::deque<core::Instant>& failures, core::Instant now) const;
  [[nodiscard]] std::optional<std::chrono::seconds> wait_locked(std::deque<core::Instant>& failures,
                                                                core::Instant now) const;
  void record_locked(const std::string& key, core::Instant now);
  LoginLimiterSettings settings_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<core::Instant>> failures_;
};

}  // namespace tickler::services::api
