#pragma once
// Which reminders a task has right now, as instants with stable ids. The id is derived from the
// task and the instant, so re-planning an unchanged reminder gives the same id (no churn) and a
// moved one a new id.
#include <string>
#include <vector>

#include "core/task.hpp"

namespace tickler::core {

struct PlannedReminder {
  std::string id;  // "t<task id>-<remind_at ms>"
  Instant remind_at{};
  bool operator==(const PlannedReminder&) const = default;
};

// None unless the task is pending; "before" reminders need a due date; duplicates collapse.
// Sorted by time.
[[nodiscard]] std::vector<PlannedReminder> plan_reminders(const Task& task);

// The reminders of a task that moved from `from_due` to `to_due` (next occurrence): relative
// ones are unchanged, absolute ones move by the same amount.
[[nodiscard]] std::vector<ReminderSpec> shift_reminders(const std::vector<ReminderSpec>& reminders,
                                                        Instant from_due, Instant to_due);

}  // namespace tickler::core
