#include "services/notifier/delivery_dispatcher.hpp"

namespace tickler::services::notifier {

DeliveryDispatcher::DeliveryDispatcher(DispatchLimits limits, std::function<void()> on_done)
    : limits_(limits), on_done_(std::move(on_done)) {
  for (int i = 0; i < limits_.workers; ++i) {
    workers_.emplace_back([this](std::stop_token stop) { work(stop); });
  }
}

bool DeliveryDispatcher::try_start(core::UserId user, const std::string& host,
                                   std::function<void()> job) {
  {
    std::lock_guard lock{mutex_};
    if (stopping_ || in_flight_ >= limits_.workers || users_.contains(user)) return false;
    auto& per_host = hosts_[host];
    if (per_host >= limits_.per_host) return false;
    ++per_host;
    ++in_flight_;
    users_.insert(user);
    ready_.push_back({user, host, std::move(job)});
  }
  cv_.notify_one();
  return true;
}

std::set<core::UserId> DeliveryDispatcher::running_users() const {
  std::lock_guard lock{mutex_};
  return users_;
}

void DeliveryDispatcher::work(std::stop_token stop) {
  for (;;) {
    Job job;
    {
      std::unique_lock lock{mutex_};
      // A started job is run even when stopping: its delivery was promised to a worker.
      cv_.wait(lock, stop, [this] { return !ready_.empty(); });
      if (ready_.empty()) return;
      job = std::move(ready_.front());
      ready_.pop_front();
    }
    job.fn();
    {
      std::lock_guard lock{mutex_};
      --in_flight_;
      users_.erase(job.user);
      if (auto it = hosts_.find(job.host); it != hosts_.end() && --it->second == 0) {
        hosts_.erase(it);
      }
    }
    if (on_done_) on_done_();
  }
}

void DeliveryDispatcher::stop() {
  {
    std::lock_guard lock{mutex_};
    if (stopping_) return;
    stopping_ = true;
  }
  for (auto& w : workers_) w.request_stop();
  cv_.notify_all();
  workers_.clear();  // joins
}

}  // namespace tickler::services::notifier
