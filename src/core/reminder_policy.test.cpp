#include "core/reminder_policy.hpp"

#include <gtest/gtest.h>

namespace tickler::core {
namespace {

Task task_due(std::int64_t due_ms) {
  Task t;
  t.id = 7;
  t.due_at = from_millis(due_ms);
  return t;
}

TEST(ReminderPolicy, RelativeAndAbsoluteRemindersSortedWithStableIds) {
  auto t = task_due(10'000'000);
  t.reminders = {{30, std::nullopt}, {std::nullopt, from_millis(5'000'000)}, {0, std::nullopt}};
  const auto planned = plan_reminders(t);
  ASSERT_EQ(planned.size(), 3U);
  EXPECT_EQ(planned[0].remind_at, from_millis(5'000'000));
  EXPECT_EQ(planned[1].remind_at, from_millis(10'000'000 - 30 * 60'000));
  EXPECT_EQ(planned[2].remind_at, from_millis(10'000'000));
  EXPECT_EQ(planned[2].id, "t7-10000000");
  EXPECT_EQ(plan_reminders(t), planned);  // same task, same ids
}

TEST(ReminderPolicy, NothingForCompletedTasksOrRelativeWithoutDue) {
  auto t = task_due(10'000'000);
  t.reminders = {{30, std::nullopt}};
  t.status = TaskStatus::completed;
  EXPECT_TRUE(plan_reminders(t).empty());
  t.status = TaskStatus::pending;
  t.due_at.reset();
  EXPECT_TRUE(plan_reminders(t).empty());
}

TEST(ReminderPolicy, DuplicatesCollapse) {
  auto t = task_due(10'000'000);
  t.reminders = {{10, std::nullopt}, {std::nullopt, from_millis(10'000'000 - 600'000)}};
  EXPECT_EQ(plan_reminders(t).size(), 1U);
}

TEST(ReminderPolicy, ShiftMovesOnlyAbsoluteReminders) {
  const std::vector<ReminderSpec> r = {{15, std::nullopt}, {std::nullopt, from_millis(1000)}};
  const auto shifted = shift_reminders(r, from_millis(5000), from_millis(9000));
  EXPECT_EQ(shifted[0].before_minutes, 15);
  EXPECT_EQ(shifted[1].at, from_millis(5000));
}

}  // namespace
}  // namespace tickler::core
