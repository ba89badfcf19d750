#pragma once
// The notifier's Scheduler: in front of the process's own (the in-process timer queue or the
// Dapr Jobs API), it keeps there only the scheduled reminders of the coming window
// (ReminderWindow) and pages the rest in from the store, in (remind_at, id) order, as time
// advances — so start-up costs nothing per pending reminder, and neither does memory.
//   schedule(name, at)  passes a reminder on when the frontier covers it; one further out is
//                       left in the store (it was written there first), the pager loads it;
//   cancel(name)        always passes on.
// A reminder's store write comes before its schedule() call, and a page is read and handed
// over under the same lock as that call's frontier check, so a reminder is either passed on or
// read by a later page: never neither. A scheduler entry left at an older instant (a reminder
// moved out of the window) is harmless: firing is conditional, and the notifier schedules again.
// Before start() everything passes on.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "bus/scheduler.hpp"
#include "services/notifier/reminder_window.hpp"
#include "store/store.hpp"

namespace tickler::services::notifier {

class ReminderPager final : public bus::Scheduler {
 public:
  ReminderPager(PagerSettings settings, store::Store& store, bus::Scheduler& scheduler)
      : settings_(settings), store_(store), scheduler_(scheduler) {}
  ReminderPager(const ReminderPager&) = delete;
  ReminderPager& operator=(const ReminderPager&) = delete;
  ~ReminderPager() override { stop(); }

  // Opens the window at now and pages in on a thread of its own; returns at once.
  void start();
  void stop();

  void schedule(const std::string& name, core::Instant at) override;
  void cancel(const std::string& name) override;

  // What start() and its thread do, for tests that drive the clock: open the window at `start`,
  // then load every page due for loading at `now` (returns the rows handed over).
  void open(core::Instant start);
  core::Result<std::size_t> fill(core::Instant now);

  // tickler_reminder_pager_*: the frontier's lead over the clock, reminders loaded ahead, pages.
  void write_metrics(std::string& out) const;

 private:
  void run(std::stop_token stop);

  PagerSettings settings_;
  store::Store& store_;
  bus::Scheduler& scheduler_;
  std::mutex mutex_;  // the window, and each page's hand-over to the scheduler
  std::condition_variable_any cv_;
  std::optional<ReminderWindow> window_;
  // For the metrics, which never wait for a page: copies taken under mutex_.
  std::atomic<std::int64_t> frontier_ms_{0};
  std::atomic<std::size_t> ahead_{0};
  std::atomic<std::uint64_t> pages_{0};
  std::atomic<std::uint64_t> rows_{0};
  std::jthread thread_;
};

}  // namespace tickler::services::notifier
