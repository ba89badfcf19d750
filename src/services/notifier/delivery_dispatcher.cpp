#include "services/notifier/delivery_dispatcher.hpp"

namespace tickler::services::notifier {

DeliveryDispatcher::DeliveryDispatcher(DispatchLimits limits, std::function<void()> on_done)
    : limits_(limits), on_done_(std::move(on_done)) {
  for (int i = 0; i < limits_.workers; ++i) {
    workers_.emplace_back([this](std::stop_token stop) { work(stop); });
  }
}

bool DeliveryDispatcher::try_start(const DeliveryQueue& queue, const std::string& destination,
                                   int destination_limit, std::function<void()> job) {
  {
    std::lock_guard lock{mutex_};
    if (stopping_ || in_flight_ >= limits_.workers || queues_.contains(queue)) return false;
    auto& count = destinations_[destination];
    if (count >= limit_of(destination_limit)) return false;
    if (!user_has_room(load_of(queue))) return false;
    ++count;
    ++users_[queue.user];
    ++user_kinds_[{queue.user, std::string{queue.kind()}}];
    ++in_flight_;
    queues_.insert(queue);
    ready_.push_back({queue, destination, std::move(job)});
  }
  cv_.notify_one();
  return true;
}

int DeliveryDispatcher::at_destination(const std::string& destination) const {
  std::lock_guard lock{mutex_};
  const auto it = destinations_.find(destination);
  return it == destinations_.end() ? 0 : it->second;
}

UserLoad DeliveryDispatcher::at_user(const DeliveryQueue& queue) const {
  std::lock_guard lock{mutex_};
  return load_of(queue);
}

UserLoad DeliveryDispatcher::load_of(const DeliveryQueue& queue) const {
  UserLoad load;
  if (const auto it = users_.find(queue.user); it != users_.end()) load.all = it->second;
  const auto kind = user_kinds_.find(std::pair{queue.user, std::string{queue.kind()}});
  if (kind != user_kinds_.end()) load.of_kind = kind->second;
  return load;
}

std::set<DeliveryQueue> DeliveryDispatcher::running_queues() const {
  std::lock_guard lock{mutex_};
  return queues_;
}

int DeliveryDispatcher::idle_workers() const {
  std::lock_guard lock{mutex_};
  return limits_.workers - in_flight_;
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
      queues_.erase(job.queue);
      if (auto it = destinations_.find(job.destination);
          it != destinations_.end() && --it->second == 0) {
        destinations_.erase(it);
      }
      if (auto it = users_.find(job.queue.user); it != users_.end() && --it->second == 0) {
        users_.erase(it);
      }
      if (auto it = user_kinds_.find(std::pair{job.queue.user, std::string{job.queue.kind()}});
          it != user_kinds_.end() && --it->second == 0) {
        user_kinds_.erase(it);
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
