#include "services/api/login_limiter.hpp"

#include <algorithm>

namespace tickler::services::api {

void LoginLimiter::prune(std::deque<core::Instant>& failures, core::Instant now) const {
  while (!failures.empty() && failures.front() + settings_.window <= now) failures.pop_front();
}

std::optional<std::chrono::seconds> LoginLimiter::blocked(const std::string& key,
                                                          core::Instant now) {
  std::lock_guard lock{mutex_};
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  prune(it->second, now);
  if (static_cast<int>(it->second.size()) < settings_.max_failures) return std::nullopt;
  const auto wait = it->second.front() + settings_.window - now;
  return std::max(std::chrono::seconds{1}, std::chrono::ceil<std::chrono::seconds>(wait));
}

void LoginLimiter::record_failure(const std::string& key, core::Instant now) {
  std::lock_guard lock{mutex_};
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
