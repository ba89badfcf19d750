#include "services/notifier/job_firing.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "base/log.hpp"

namespace tickler::services::notifier {

void JobFiring::fire(const std::vector<std::string>& names) {
  if (auto n = notifier_.fire_due(names); !n) {
    base::log_json(spdlog::level::warn, "firing reminders failed", {{"error", n.error().message}});
  }
}

// A reminder is never fired before its instant by our clock, so one that is not due yet by a
// hair is waited for, one further out is scheduled again.
core::Status JobFiring::fire_checked(const std::vector<std::string>& names) {
  auto fired = notifier_.fire_due(names);
  if (!fired) return fired.error();
  for (const auto& name : names) {
    auto row = store_.read_value([&](store::Reader& r) { return r.reminder(name); });
    if (!row) return row.error();
    if (!*row || (*row)->state != "scheduled") continue;
    const auto wait = (*row)->remind_at - core::now();
    if (wait > std::chrono::seconds{2}) {
      scheduler_->schedule(name, (*row)->remind_at);
      continue;
    }
    std::this_thread::sleep_for(wait + std::chrono::milliseconds{1});
    if (auto again = notifier_.fire_due({name}); !again) return again.error();
  }
  return {};
}

}  // namespace tickler::services::notifier
