// The Store contract, continued: users' push subscriptions and ntfy topics (added, listed,
// removed, deleted with the user's notifier data) and the instance's keys (the first kept).
#include <gtest/gtest.h>

#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

TEST_P(StoreContract, PushSubscriptionsAreAddedListedAndRemoved) {
  PushSubscription p;
  p.user_id = 3;
  p.endpoint = "https://push.example.net/a";
  p.p256dh = "BPk";
  p.auth = "au";
  p.user_agent = "Firefox";
  p.created_at = from_millis(1'000);
  auto first = store_->write_value([&](Writer& w) { return w.insert_push_subscription(p); });
  ASSERT_TRUE(first);
  p.endpoint = "https://push.example.net/b";
  auto second = store_->write_value([&](Writer& w) { return w.insert_push_subscription(p); });
  ASSERT_TRUE(second);
  EXPECT_GT(*second, *first);
  // One endpoint once per user.
  EXPECT_FALSE(store_->write_value([&](Writer& w) { return w.insert_push_subscription(p); }));
  auto list = [&](core::UserId user) {
    return store_->read_value([&](Reader& r) { return r.push_subscriptions(user); });
  };
  auto got = list(3);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].id, *first);
  EXPECT_EQ((*got)[0].endpoint, "https://push.example.net/a");
  EXPECT_EQ((*got)[0].p256dh, "BPk");
  EXPECT_EQ((*got)[0].auth, "au");
  EXPECT_EQ((*got)[0].user_agent, "Firefox");
  EXPECT_EQ((*got)[0].created_at, from_millis(1'000));
  EXPECT_TRUE(list(4)->empty());

  EXPECT_FALSE(*store_->write_value(
      [&](Writer& w) { return w.delete_push_subscription(4, *first); }));  // not the owner
  EXPECT_TRUE(
      *store_->write_value([&](Writer& w) { return w.delete_push_subscription(3, *first); }));
  EXPECT_EQ(list(3)->size(), 1u);
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_user_notifier_data(3); }));
  EXPECT_TRUE(list(3)->empty());
}

TEST_P(StoreContract, NtfyChannelIsSetReplacedAndDeleted) {
  NtfyChannel c{3, "https://ntfy.example.net", "tasks", "", from_millis(1'000)};
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_ntfy_channel(c); }));
  c.topic = "other";
  c.token = "tk_1";
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_ntfy_channel(c); }));
  auto read = [&](core::UserId user) {
    return store_->read_value([&](Reader& r) { return r.ntfy_channel(user); });
  };
  auto got = read(3);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->server, "https://ntfy.example.net");
  EXPECT_EQ((*got)->topic, "other");
  EXPECT_EQ((*got)->token, "tk_1");
  EXPECT_FALSE(*read(4));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_ntfy_channel(3); }));
  EXPECT_FALSE(*read(3));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.set_ntfy_channel(c); }));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_user_notifier_data(3); }));
  EXPECT_FALSE(*read(3));
}

TEST_P(StoreContract, InstanceKeyKeepsTheFirstValue) {
  auto read = [&] {
    return store_->read_value([&](Reader& r) { return r.instance_key("vapid"); });
  };
  EXPECT_FALSE(*read());
  ASSERT_TRUE(store_->write(
      [&](Writer& w) { return w.insert_instance_key("vapid", "first", from_millis(1)); }));
  ASSERT_TRUE(store_->write(
      [&](Writer& w) { return w.insert_instance_key("vapid", "second", from_millis(2)); }));
  EXPECT_EQ(*read(), "first");
}

}  // namespace
}  // namespace tickler::store::contract
