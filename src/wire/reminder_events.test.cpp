#include "wire/reminder_events.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "wire/payload_test_support.hpp"

namespace tickler::wire {
namespace {

const ReminderScheduled k_scheduled{"42-at-1900000000000",
                                    42,
                                    "Water the plants",
                                    core::from_millis(1'900'000'900'000),
                                    core::from_millis(1'900'000'000'000),
                                    7,
                                    "Europe/Paris",
                                    core::Priority::high};

TEST(ReminderEvents, ScheduledIsWrittenAsTheContractSays) {
  EXPECT_EQ(k_scheduled.type(), "tickler.reminder.scheduled.v1");
  EXPECT_EQ(k_scheduled.subject(), "42");
  EXPECT_EQ(boost::json::serialize(k_scheduled.to_json()),
            R"({"reminder_id":"42-at-1900000000000","task_id":42,"title":"Water the plants",)"
            R"("due_at":"2030-03-17T18:01:40.000Z","remind_at":"2030-03-17T17:46:40.000Z",)"
            R"("user_id":7,"time_zone":"Europe/Paris","priority":"high"})");
  auto undated = k_scheduled;
  undated.due_at.reset();
  EXPECT_TRUE(undated.to_json().at("due_at").is_null());
}

TEST(ReminderEvents, ScheduledRoundTrips) {
  for (auto due : {std::optional<core::Instant>{}, k_scheduled.due_at}) {
    auto e = k_scheduled;
    e.due_at = due;
    auto back = ReminderScheduled::from_json(e.to_json());
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->reminder_id, e.reminder_id);
    EXPECT_EQ(back->task_id, 42);
    EXPECT_EQ(back->title, e.title);
    EXPECT_EQ(back->due_at, due);
    EXPECT_EQ(back->remind_at, e.remind_at);
    EXPECT_EQ(back->user_id, 7);
    EXPECT_EQ(back->time_zone, "Europe/Paris");
    EXPECT_EQ(back->priority, core::Priority::high);
  }
  // Events published before the time zone travelled with them: UTC.
  auto older = k_scheduled.to_json();
  older.erase("time_zone");
  auto back = ReminderScheduled::from_json(older);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->time_zone, "UTC");
  older["time_zone"] = 17.5;
  EXPECT_EQ(testing::field_of(ReminderScheduled::from_json(older).error()), "time_zone");
  // ... and before the priority did: none.
  older = k_scheduled.to_json();
  older.erase("priority");
  back = ReminderScheduled::from_json(older);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->priority, core::Priority::none);
  older["priority"] = "urgent";
  EXPECT_EQ(testing::field_of(ReminderScheduled::from_json(older).error()), "priority");
}

TEST(ReminderEvents, ScheduledRefusesMissingOrMistypedMembers) {
  testing::expect_members_checked<ReminderScheduled>(
      k_scheduled.to_json(), {"reminder_id", "task_id", "title", "due_at", "remind_at", "user_id"},
      boost::json::value{17.5});
  auto o = k_scheduled.to_json();
  o["remind_at"] = "tomorrow";
  EXPECT_EQ(testing::field_of(ReminderScheduled::from_json(o).error()), "remind_at");
  o = k_scheduled.to_json();
  o["reminder_id"] = "";
  EXPECT_EQ(testing::field_of(ReminderScheduled::from_json(o).error()), "reminder_id");
}

TEST(ReminderEvents, CancelledRoundTripsAndIsChecked) {
  const ReminderCancelled e{"42-before-15", 42, 7, core::from_millis(1'900'000'000'000)};
  EXPECT_EQ(e.type(), "tickler.reminder.cancelled.v1");
  EXPECT_EQ(e.subject(), "42");
  EXPECT_EQ(boost::json::serialize(e.to_json()),
            R"({"reminder_id":"42-before-15","task_id":42,"user_id":7,)"
            R"("remind_at":"2030-03-17T17:46:40.000Z"})");
  auto back = ReminderCancelled::from_json(e.to_json());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->reminder_id, e.reminder_id);
  EXPECT_EQ(back->task_id, 42);
  EXPECT_EQ(back->user_id, 7);
  EXPECT_EQ(back->remind_at, e.remind_at);
  testing::expect_members_checked<ReminderCancelled>(
      e.to_json(), {"reminder_id", "task_id", "user_id", "remind_at"}, boost::json::value{false});
}

}  // namespace
}  // namespace tickler::wire
