#include "wire/notification_events.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "wire/payload_test_support.hpp"

namespace tickler::wire {
namespace {

const ReminderFired k_fired{5,
                            "42-before-15",
                            7,
                            42,
                            "Water the plants",
                            core::from_millis(1'900'000'000'000),
                            core::from_millis(1'900'000'000'250)};

TEST(NotificationEvents, FiredIsWrittenAsTheContractSays) {
  EXPECT_EQ(k_fired.type(), "tickler.reminder.fired.v1");
  EXPECT_EQ(k_fired.subject(), "42-before-15");
  EXPECT_EQ(boost::json::serialize(k_fired.to_json()),
            R"({"notification_id":5,"reminder_id":"42-before-15","user_id":7,"task_id":42,)"
            R"("title":"Water the plants","remind_at":"2030-03-17T17:46:40.000Z",)"
            R"("fired_at":"2030-03-17T17:46:40.250Z"})");
}

TEST(NotificationEvents, FiredRoundTripsAndIsChecked) {
  auto back = ReminderFired::from_json(k_fired.to_json());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->notification_id, 5);
  EXPECT_EQ(back->reminder_id, k_fired.reminder_id);
  EXPECT_EQ(back->user_id, 7);
  EXPECT_EQ(back->task_id, 42);
  EXPECT_EQ(back->title, k_fired.title);
  EXPECT_EQ(back->remind_at, k_fired.remind_at);
  EXPECT_EQ(back->fired_at, k_fired.fired_at);
  testing::expect_members_checked<ReminderFired>(
      k_fired.to_json(),
      {"notification_id", "reminder_id", "user_id", "task_id", "title", "remind_at", "fired_at"},
      boost::json::value{nullptr});
}

TEST(NotificationEvents, TheWebhookBodyHasTheTypeAndNoNotificationId) {
  EXPECT_EQ(boost::json::serialize(k_fired.to_webhook_json()),
            R"({"type":"tickler.reminder.fired.v1","reminder_id":"42-before-15","task_id":42,)"
            R"("user_id":7,"title":"Water the plants","remind_at":"2030-03-17T17:46:40.000Z",)"
            R"("fired_at":"2030-03-17T17:46:40.250Z"})");
}

TEST(NotificationEvents, TheRestItemNamesTheNotificationId) {
  EXPECT_EQ(boost::json::serialize(notification_to_json(k_fired, std::nullopt)),
            R"({"id":5,"task_id":42,"reminder_id":"42-before-15","title":"Water the plants",)"
            R"("remind_at":"2030-03-17T17:46:40.000Z","fired_at":"2030-03-17T17:46:40.250Z",)"
            R"("read_at":null})");
  EXPECT_EQ(notification_to_json(k_fired, core::from_millis(1'900'000'001'000)).at("read_at"),
            "2030-03-17T17:46:41.000Z");
}

}  // namespace
}  // namespace tickler::wire
