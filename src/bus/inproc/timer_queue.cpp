#include "bus/inproc/timer_queue.hpp"

namespace tickler::bus::inproc {

void TimerQueue::start() {
  thread_ = std::jthread{[this](std::stop_token stop) { run(stop); }};
}

void TimerQueue::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  cv_.notify_all();
  thread_.join();
}

void TimerQueue::schedule(const std::string& name, core::Instant at) {
  {
    std::lock_guard lock{mutex_};
    jobs_[name] = at;
    heap_.push({at, name});
  }
  cv_.notify_one();
}

void TimerQueue::cancel(const std::string& name) {
  std::lock_guard lock{mutex_};
  jobs_.erase(name);
}

std::size_t TimerQueue::pending() const {
  std::lock_guard lock{mutex_};
  return jobs_.size();
}

void TimerQueue::run(std::stop_token stop) {
  std::unique_lock lock{mutex_};
  while (!stop.stop_requested()) {
    // Drop stale entries (cancelled or moved jobs) from the top.
    while (!heap_.empty()) {
      auto it = jobs_.find(heap_.top().name);
      if (it != jobs_.end() && it->second == heap_.top().at) break;
      heap_.pop();
    }
    if (heap_.empty()) {
      cv_.wait(lock, stop, [this] { return !heap_.empty(); });
      continue;
    }
    const auto next = heap_.top().at;
    if (core::now() < next) {
      // Woken early by a new earlier job or by stop; otherwise wakes at the instant.
      cv_.wait_until(lock, stop, next,
                     [this, next] { return !heap_.empty() && heap_.top().at < next; });
      continue;
    }
    std::vector<std::string> due;
    const auto now = core::now();
    while (!heap_.empty() && heap_.top().at <= now && due.size() < max_batch_) {
      auto entry = heap_.top();
      heap_.pop();
      auto it = jobs_.find(entry.name);
      if (it == jobs_.end() || it->second != entry.at) continue;
      jobs_.erase(it);
      due.push_back(std::move(entry.name));
    }
    if (due.empty()) continue;
    lock.unlock();
    on_due_(due);
    lock.lock();
  }
}

}  // namespace tickler::bus::inproc
