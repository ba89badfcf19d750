#include "bus/inproc/inproc_bus.hpp"

#include <thread>

namespace tickler::bus::inproc {

void InprocBus::subscribe(std::string topic, std::string name, Subscriber fn) {
  std::lock_guard lock{mutex_};
  subscribers_[std::move(topic)].push_back({std::move(name), std::move(fn)});
}

core::Status InprocBus::publish(const Event& event, const std::optional<std::string>& target) {
  std::vector<Entry> entries;
  {
    std::lock_guard lock{mutex_};
    if (auto it = subscribers_.find(event.topic); it != subscribers_.end()) entries = it->second;
  }
  for (const auto& entry : entries) {
    if (target && entry.name != *target) continue;
    auto backoff = settings_.first_backoff;
    Verdict verdict;
    for (int attempt = 1;; ++attempt) {
      try {
        verdict = entry.fn(event);
      } catch (const std::exception& e) {
        verdict = Verdict::retry(std::string{"subscriber threw: "} + e.what());
      }
      if (verdict.outcome != Outcome::retry || attempt >= settings_.max_attempts) break;
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, settings_.max_backoff);
    }
    if (verdict.outcome == Outcome::success) continue;
    const std::string why =
        (verdict.outcome == Outcome::drop ? "dropped: " : "gave up retrying: ") + verdict.reason;
    if (auto st = dead_letters_(event, entry.name, why); !st) return st;
  }
  return {};
}

}  // namespace tickler::bus::inproc
