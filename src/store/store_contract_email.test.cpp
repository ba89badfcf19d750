// The Store contract, continued: users' email channels (set, replaced, deleted with the user's
// notifier data) and the task's time zone carried by its reminders.
#include <gtest/gtest.h>

#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

TEST_P(StoreContract, EmailChannelIsSetReplacedAndDeleted) {
  EmailChannel c;
  c.user_id = 3;
  c.address = "ana@example.com";
  c.created_at = from_millis(1'000);
  c.confirmations_sent = 1;
  c.confirmations_since = from_millis(1'000);
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_email_channel(c); }));
  auto read = [&](core::UserId user) {
    return store_->read_value([&](Reader& r) { return r.email_channel(user); });
  };
  auto got = read(3);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->address, "ana@example.com");
  EXPECT_FALSE((*got)->confirmed);
  EXPECT_FALSE((*got)->confirmed_at);
  EXPECT_EQ((*got)->confirmations_sent, 1);
  EXPECT_EQ((*got)->confirmations_since, from_millis(1'000));

  c.confirmed = true;
  c.confirmed_at = from_millis(2'000);
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_email_channel(c); }));
  got = read(3);
  ASSERT_TRUE(got && *got);
  EXPECT_TRUE((*got)->confirmed);
  EXPECT_EQ((*got)->confirmed_at, from_millis(2'000));
  auto none = read(4);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_user_notifier_data(3); }));
  got = read(3);
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_email_channel(c); }));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_email_channel(3); }));
  EXPECT_FALSE(*read(3));
}

TEST_P(StoreContract, RemindersKeepTheirTasksTimeZone) {
  ReminderRow r;
  r.id = "t9-5000";
  r.task_id = 9;
  r.user_id = 1;
  r.title = "Call";
  r.remind_at = from_millis(5'000);
  r.time_zone = "Asia/Tokyo";
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.upsert_reminder(r); }));
  auto fired = store_->write_value(
      [&](Writer& w) { return w.fire_reminder("t9-5000", from_millis(5'000)); });
  ASSERT_TRUE(fired && *fired);
  EXPECT_EQ((*fired)->time_zone, "Asia/Tokyo");
  auto back = store_->read_value([&](Reader& rd) { return rd.reminder("t9-5000"); });
  ASSERT_TRUE(back && *back);
  EXPECT_EQ((*back)->time_zone, "Asia/Tokyo");
}

}  // namespace
}  // namespace tickler::store::contract
