#include "wire/messages.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <iostream>
#include <set>

#include "wire/task_json.hpp"

namespace tickler::wire {
namespace {

template <class T>
std::string data_of(const T& payload) {
  return boost::json::serialize(payload.to_json());
}

TaskEvent task_event(TaskOp op) {
  core::Task t;
  t.id = 42;
  t.title = "Stretch";
  t.time_zone = "UTC";
  return {op, 42, 7, task_to_json(t), "user:7", core::from_millis(0), {}, ""};
}

TEST(WireMessages, EachTopicReadsTheEventsItCarries) {
  auto completed =
      read_task_events("tickler.task.completed.v1", data_of(task_event(TaskOp::completed)));
  ASSERT_TRUE(completed) << completed.error().message;
  EXPECT_EQ(std::get<TaskEvent>(*completed).op, TaskOp::completed);
  auto deleted = read_task_events("tickler.user.deleted.v1", data_of(UserDeleted{7}));
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(std::get<UserDeleted>(*deleted).user_id, 7);

  const ReminderCancelled cancelled{"r", 42, 7, core::from_millis(0)};
  auto reminder = read_reminders(ReminderCancelled::k_type, data_of(cancelled));
  ASSERT_TRUE(reminder) << reminder.error().message;
  EXPECT_TRUE(std::holds_alternative<ReminderCancelled>(*reminder));
  EXPECT_TRUE(std::holds_alternative<UserDeleted>(
      *read_reminders(UserDeleted::k_type, data_of(UserDeleted{7}))));

  auto revoked = read_task_updates(UserRevoked::k_type, data_of(UserRevoked{7, 2}));
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_EQ(std::get<UserRevoked>(*revoked).token_generation, 2);
  const TaskUpdate update{TaskOp::deleted, task_event(TaskOp::deleted).task_data, 7, 1};
  auto updated = read_task_updates("tickler.task.deleted.v1", data_of(update));
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(std::get<TaskUpdate>(*updated).op, TaskOp::deleted);

  const ReminderFired fired{1, "r", 7, 42, "Stretch", core::from_millis(0), core::from_millis(1)};
  auto notification = read_notifications(ReminderFired::k_type, data_of(fired));
  ASSERT_TRUE(notification) << notification.error().message;
  EXPECT_EQ(notification->notification_id, 1);
}

TEST(WireMessages, ATypeATopicDoesNotCarryIsRefused) {
  const auto data = data_of(UserDeleted{7});
  for (const auto& r : {read_task_updates(UserDeleted::k_type, data).error(),
                        read_notifications(UserDeleted::k_type, data).error(),
                        read_task_events("com.dapr.event.sent", data).error(),
                        read_reminders(UserRevoked::k_type, data).error()}) {
    EXPECT_EQ(r.code, core::Errc::validation_failed);
    EXPECT_EQ(std::get<std::string>(r.details.at("field")), "type");
  }
  EXPECT_EQ(read_task_events("tickler.task.archived.v1", data).error().message,
            R"(type: "tickler.task.archived.v1" is not an event of task-events)");
}

TEST(WireMessages, DataThatIsNotAnObjectIsInvalidJson) {
  for (const auto* data : {"", "[1]", "{\"user_id\":", "\"text\""}) {
    auto r = read_reminders(UserDeleted::k_type, data);
    ASSERT_FALSE(r) << data;
    EXPECT_EQ(r.error().code, core::Errc::invalid_json) << data;
  }
}

TEST(WireMessages, ATaskEventWhoseDataSaysAnotherOpIsRefused) {
  auto r = read_task_events("tickler.task.completed.v1", data_of(task_event(TaskOp::reopened)));
  ASSERT_FALSE(r);
  EXPECT_EQ(std::get<std::string>(r.error().details.at("field")), "event_type");
  const TaskUpdate update{TaskOp::created, task_event(TaskOp::created).task_data, 7, 1};
  auto u = read_task_updates("tickler.task.updated.v1", data_of(update));
  ASSERT_FALSE(u);
  EXPECT_EQ(std::get<std::string>(u.error().details.at("field")), "op");
}

// The topics each payload says it travels on (what producers use) and the payloads each topic
// reads (what consumers use) are the same set.
TEST(WireMessages, ProducersAndConsumersAgreeOnTheTopics) {
  std::set<std::pair<std::string_view, std::string_view>> produced;
  auto add = [&]<class T>(std::type_identity<T>, std::initializer_list<std::string_view> types) {
    for (auto topic : T::topics) {
      for (auto type : types) produced.emplace(topic, type);
    }
  };
  std::initializer_list<std::string_view> task_types{
      "tickler.task.created.v1", "tickler.task.updated.v1", "tickler.task.completed.v1",
      "tickler.task.reopened.v1", "tickler.task.deleted.v1"};
  add(std::type_identity<TaskEvent>{}, task_types);
  add(std::type_identity<TaskUpdate>{}, task_types);
  add(std::type_identity<ReminderScheduled>{}, {ReminderScheduled::k_type});
  add(std::type_identity<ReminderCancelled>{}, {ReminderCancelled::k_type});
  add(std::type_identity<ReminderFired>{}, {ReminderFired::k_type});
  add(std::type_identity<UserRevoked>{}, {UserRevoked::k_type});
  add(std::type_identity<UserDeleted>{}, {UserDeleted::k_type});

  const auto declared = declared_events();
  std::set<std::pair<std::string_view, std::string_view>> consumed;
  for (const auto& e : declared) consumed.emplace(e.topic, e.type);
  EXPECT_EQ(consumed.size(), declared.size()) << "a (topic, type) is declared twice";
  EXPECT_EQ(produced, consumed);
  EXPECT_EQ(declared.size(), 16U);
}

// tests/events/test_asyncapi.py runs this test and compares these lines with
// docs/events/asyncapi.yaml: every event declared here is described there, and nothing else.
TEST(WireMessages, DeclaredEventsArePrintedForTheDocumentCheck) {
  for (const auto& e : declared_events()) {
    std::cout << "declared-event " << e.topic << " " << e.type << " " << e.source << "\n";
  }
}

}  // namespace
}  // namespace tickler::wire
