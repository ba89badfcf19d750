#include "services/api/login_limiter.hpp"

#include <algorithm>

namespace tickler::services::api {

void LoginLimiter::prune(std::deque<core::Instant>& failures, core::Instant now) const {
  while (!failures.empty() && failures.front() + settings_.window <= now) failures.pop_front();
}

std::optional<std::chrono::seconds> LoginLimiter::wait_locked(std::deque<core::Instant>& failures,
                                                              core::Instant now) const {
  prune(failures, now);
  if (static_cast<int>(failures.size()) < settings_.max_failures) return std::nullopt;
  const auto wait = failures.front() + settings_.window - now;
  return std::max(std::chrono::seconds{1}, std::chrono::ceil<std::chrono::seconds>(wait));
}

std::optional<std::chrono::seconds> LoginLimiter::blocked(const std::string& key,
                                                          core::Instant now) {
  std::lock_guard lock{mutex_};
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  return wait_locked(it->second, now);
}

std::optional<std::chrono::seconds> LoginLimiter::acquire(const std::string& key,
                                                          core::Instant now) {
  std::lock_guard lock{mutex_};
  if (auto it = failures_.find(key); it != failures_.end()) {
    if (auto wait = wait_locked(it->second, now)) return wait;
  }
  record_locked(key, now);
  return std::nullopt;
}

void LoginLimiter::release(const std::string& key, core::Instant at) {
  std::lock_guard lock{mutex_};
  auto it = failures_.find(key);
  if (it == failures_.end()) return;
  auto& f = it->second;
  if (auto pos = std::find(f.rbegin(), f.rend(), at); pos != f.rend()) {
    f.erase(std::next(pos).base());
  }
  if (f.empty()) failures_.erase(it);
}

void LoginLimiter::record_failure(const std::string& key, core::Instant now) {
  std::lock_guard lock{mutex_};
  record_locked(key, now);
}

void LoginLimiter::record_locked(const std::string& key, core::Instant now) {
  if (failures_.size() >= settings_.max_keys && !failures_.contains(key)) {
    // Forget keys whose failures all left the window; if none, the key with the oldest failure.
    for (auto it = failures_.begin(); it != failures_.end();) {
      prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= settings_.max_keys) {
      auto oldest = std::min_element(failures_.begin(), failures_.end(), [](auto& a, auto& b) {
        return a.second.back() < b.second.back();
      });
      failures_.erase(oldest);
    }
  }
  auto& f = failures_[key];
  prune(f, now);
  f.push_back(now);
}

void LoginLimiter::reset(const std::string& key) {
  std::lock_guard lock{mutex_};
  failures_.erase(key);
}

}  // namespace tickler::services::api
