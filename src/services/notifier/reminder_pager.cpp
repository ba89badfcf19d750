#include "services/notifier/reminder_pager.hpp"

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

#include "base/log.hpp"

namespace tickler::services::notifier {

void ReminderPager::open(core::Instant start) {
  std::lock_guard lock{mutex_};
  window_.emplace(settings_, start);
}

void ReminderPager::start() {
  open(core::now());
  thread_ = std::jthread{[this](std::stop_token stop) { run(stop); }};
}

void ReminderPager::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  cv_.notify_all();
  thread_.join();
}

void ReminderPager::schedule(const std::string& name, core::Instant at) {
  std::lock_guard lock{mutex_};
  if (!window_ || window_->covers(at, name)) scheduler_.schedule(name, at);
}

void ReminderPager::cancel(const std::string& name) {
  scheduler_.cancel(name);
}

core::Result<std::size_t> ReminderPager::fill(core::Instant now) {
  std::size_t total = 0;
  for (;;) {
    std::lock_guard lock{mutex_};
    if (!window_) return total;
    const auto page = window_->next(now);
    if (!page) return total;
    auto rows = store_.read_value([&](store::NotifierReader& r) {
      return r.scheduled_reminders_after(page->after, page->until, page->limit);
    });
    if (!rows) return rows.error();
    for (const auto& r : *rows) scheduler_.schedule(r.id, r.remind_at);
    window_->loaded(*page, *rows, now);
    total += rows->size();
    rows_ += rows->size();
    ++pages_;
    frontier_ms_ = core::to_millis(window_->frontier().at);
    ahead_ = window_->ahead();
  }
}

void ReminderPager::run(std::stop_token stop) {
  constexpr std::chrono::seconds k_longest_wait{1};  // also bounds the effect of clock changes
  while (!stop.stop_requested()) {
    auto loaded = fill(core::now());
    if (!loaded) {
      base::log_json(spdlog::level::warn, "loading reminders failed (retried in a second)",
                     {{"error", loaded.error().message}});
    }
    std::unique_lock lock{mutex_};
    auto wake = core::now() + k_longest_wait;
    if (loaded && window_) wake = std::min(wake, window_->wake_at());
    cv_.wait_until(lock, stop, wake, [] { return false; });
  }
}

void ReminderPager::write_metrics(std::string& out) const {
  const auto metric = [&out](std::string_view name, std::string_view type, std::string_view help,
                             const std::string& value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
    out.append(name).append(" ").append(type).append("\n").append(name).append(" ");
    out.append(value).append("\n");
  };
  const auto frontier = frontier_ms_.load();
  const double lead =
      frontier > 0 ? static_cast<double>(frontier - core::to_millis(core::now())) / 1000.0 : 0.0;
  metric("tickler_reminder_pager_lead_seconds", "gauge",
         "How far ahead of the clock the scheduler holds every scheduled reminder.",
         std::to_string(lead));
  metric("tickler_reminder_pager_ahead", "gauge",
         "Reminders loaded into the scheduler, not due yet.", std::to_string(ahead_.load()));
  metric("tickler_reminder_pager_rows_total", "counter",
         "Scheduled reminders loaded from the store.", std::to_string(rows_.load()));
  metric("tickler_reminder_pager_pages_total", "counter", "Pages of reminders read.",
         std::to_string(pages_.load()));
}

}  // namespace tickler::services::notifier
