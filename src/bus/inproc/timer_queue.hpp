#pragma once
// In-process Scheduler: ONE thread waiting on the earliest job of a min-heap (no polling per
// job). Due jobs are handed over in batches, oldest first, never before their instant (system
// clock). Moving or cancelling a job leaves a stale heap entry that is skipped when reached.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bus/scheduler.hpp"

namespace tickler::bus::inproc {

// Receives the names of due jobs (on the queue's thread; blocking work is fine).
using DueHandler = std::function<void(const std::vector<std::string>& names)>;

class TimerQueue final : public Scheduler {
 public:
  explicit TimerQueue(DueHandler on_due, std::size_t max_batch = 512)
      : on_due_(std::move(on_due)), max_batch_(max_batch) {}
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;
  ~TimerQueue() override { stop(); }

  void start();
  void stop();
  void schedule(const std::string& name, core::Instant at) override;
  void cancel(const std::string& name) override;
  [[nodiscard]] std::size_t pending() const;

 private:
  struct Entry {
    core::Instant at;
    std::string name;
    bool operator>(const Entry& o) const { return at > o.at; }
  };
  void run(std::stop_token stop);
  DueHandler on_due_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable_any cv_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::unordered_map<std::string, core::Instant> jobs_;  // the live instant of each job
  std::jthread thread_;
};

}  // namespace tickler::bus::inproc
