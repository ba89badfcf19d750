#include "core/reminder_policy.hpp"

#include <algorithm>

namespace tickler::core {

std::vector<PlannedReminder> plan_reminders(const Task& task) {
  std::vector<PlannedReminder> out;
  if (task.status != TaskStatus::pending) return out;
  for (const auto& r : task.reminders) {
    std::optional<Instant> at = r.at;
    if (r.before_minutes && task.due_at)
      at = *task.due_at - std::chrono::minutes{*r.before_minutes};
    if (!at) continue;
    out.push_back({"t" + std::to_string(task.id) + "-" + std::to_string(to_millis(*at)), *at});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.remind_at < b.remind_at; });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<ReminderSpec> shift_reminders(const std::vector<ReminderSpec>& reminders,
                                          Instant from_due, Instant to_due) {
  std::vector<ReminderSpec> out = reminders;
  for (auto& r : out) {
    if (r.at) *r.at += to_due - from_due;
  }
  return out;
}

}  // namespace tickler::core
