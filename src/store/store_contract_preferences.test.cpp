// The Store contract, continued: users' notification preferences and tasks' overrides (set,
// replaced, removed, deleted with the user's notifier data) and the task's priority carried by
// its reminders.
#include <gtest/gtest.h>

#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

TEST_P(StoreContract, NotificationSettingsAreSetReplacedAndDeletedWithTheUser) {
  auto read = [&](core::UserId user) {
    return store_->read_value([&](Reader& r) { return r.notification_settings(user); });
  };
  auto none = read(3);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  PreferenceDocument d{3, R"({"time_zone":"Europe/Berlin"})", from_millis(1'000)};
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_notification_settings(d); }));
  d.body = R"({"time_zone":"Asia/Tokyo"})";
  d.updated_at = from_millis(2'000);
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_notification_settings(d); }));
  auto got = read(3);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->user_id, 3);
  EXPECT_EQ((*got)->body, R"({"time_zone":"Asia/Tokyo"})");
  EXPECT_EQ((*got)->updated_at, from_millis(2'000));
  EXPECT_FALSE(*read(4));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_user_notifier_data(3); }));
  EXPECT_FALSE(*read(3));
}

TEST_P(StoreContract, OverridesArePerTaskOfItsUser) {
  auto read = [&](core::UserId user, core::TaskId task) {
    return store_->read_value([&](Reader& r) { return r.notification_override(user, task); });
  };
  const PreferenceDocument d{3, R"({"quiet_hours":"ignore"})", from_millis(1'000)};
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_notification_override(40, d); }));
  auto got = read(3, 40);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->body, R"({"quiet_hours":"ignore"})");
  EXPECT_FALSE(*read(4, 40));  // another user's task: none
  EXPECT_FALSE(*read(3, 41));
  auto removed =
      store_->write_value([&](Writer& w) { return w.delete_notification_override(4, 40); });
  ASSERT_TRUE(removed);
  EXPECT_FALSE(*removed);  // not another user's to remove
  removed = store_->write_value([&](Writer& w) { return w.delete_notification_override(3, 40); });
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(*read(3, 40));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_notification_override(40, d); }));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_notification_override(41, d); }));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_user_notifier_data(3); }));
  EXPECT_FALSE(*read(3, 40));
  EXPECT_FALSE(*read(3, 41));
}

TEST_P(StoreContract, RemindersKeepTheirTasksPriority) {
  ReminderRow r;
  r.id = "t9-7000";
  r.task_id = 9;
  r.user_id = 1;
  r.title = "Call";
  r.remind_at = from_millis(7'000);
  r.priority = "high";
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.upsert_reminder(r); }));
  auto got = store_->read_value([&](Reader& rd) { return rd.reminder("t9-7000"); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->priority, "high");
  r.priority = "low";  // the task's priority changed
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.upsert_reminder(r); }));
  auto fired = store_->write_value(
      [&](Writer& w) { return w.fire_reminder("t9-7000", from_millis(7'000)); });
  ASSERT_TRUE(fired && *fired);
  EXPECT_EQ((**fired).priority, "low");
}

}  // namespace
}  // namespace tickler::store::contract
