#include "outbox/envelope.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "wire/account_events.hpp"
#include "wire/notification_events.hpp"

namespace tickler::outbox {
namespace {

TEST(Envelope, APayloadBecomesOneRowPerTopicItTravelsOn) {
  const auto at = core::from_millis(1'900'000'000'000);
  const auto rows = outbox_rows(wire::UserDeleted{7}, at);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].topic, "reminders");
  EXPECT_EQ(rows[1].topic, "task-events");
  for (const auto& r : rows) {
    EXPECT_EQ(r.id, 0);  // given when appended
    EXPECT_EQ(r.type, "tickler.user.deleted.v1");
    EXPECT_EQ(r.source, "tickler/api");
    EXPECT_EQ(r.subject, "user/7");
    EXPECT_EQ(r.user_id, 7);
    EXPECT_EQ(r.data, R"({"user_id":7})");
    EXPECT_EQ(r.created_at, at);
    EXPECT_FALSE(r.event_id);
    EXPECT_FALSE(r.target);
  }
}

TEST(Envelope, ARowBecomesTheCloudEventTheBusSends) {
  const wire::ReminderFired fired{
      5, "42-before-15", 7, 42, "Stretch", core::from_millis(0), core::from_millis(250)};
  auto row = outbox_rows(fired, core::from_millis(1'900'000'000'000)).front();
  row.id = 31;
  const auto event = to_event(row);
  EXPECT_EQ(event.id, "31");
  EXPECT_EQ(event.topic, "notifications");
  EXPECT_EQ(event.partition_key, "7");
  row.event_id = "12";  // a redriven event keeps its first id
  EXPECT_EQ(to_event(row).id, "12");

  auto ce = boost::json::parse(bus::to_cloudevent_json(event)).as_object();
  std::vector<std::string> keys;
  for (const auto& [k, v] : ce) keys.emplace_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"specversion", "id", "source", "type", "subject",
                                            "time", "datacontenttype", "partitionkey", "data"}));
  EXPECT_EQ(ce.at("specversion"), "1.0");
  EXPECT_EQ(ce.at("source"), "tickler/notifier");
  EXPECT_EQ(ce.at("type"), "tickler.reminder.fired.v1");
  EXPECT_EQ(ce.at("subject"), "42-before-15");
  EXPECT_EQ(ce.at("time"), "2030-03-17T17:46:40.000Z");
  EXPECT_EQ(ce.at("datacontenttype"), "application/json");
  EXPECT_EQ(ce.at("partitionkey"), "7");
  EXPECT_EQ(ce.at("data"), fired.to_json());
}

TEST(Envelope, AnEventBecomesTheRowItStandsForKeepingItsId) {
  const wire::ReminderFired fired{
      5, "42-before-15", 7, 42, "Stretch", core::from_millis(0), core::from_millis(250)};
  auto row = outbox_rows(fired, core::from_millis(1'900'000'000'000)).front();
  row.id = 31;
  const auto back = from_event(to_event(row), core::from_millis(2'000));
  EXPECT_EQ(back.id, 0);  // given when it is appended
  EXPECT_EQ(back.event_id, "31");
  EXPECT_EQ(back.cloud_event_id(), "31");
  EXPECT_EQ(back.topic, row.topic);
  EXPECT_EQ(back.type, row.type);
  EXPECT_EQ(back.source, row.source);
  EXPECT_EQ(back.subject, row.subject);
  EXPECT_EQ(back.user_id, 7);
  EXPECT_EQ(back.data, row.data);
  EXPECT_FALSE(back.target);
  EXPECT_EQ(back.created_at, core::from_millis(2'000));
  EXPECT_EQ(back.attempts, 0);
}

}  // namespace
}  // namespace tickler::outbox
