#include "wire/task_events.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "wire/payload_test_support.hpp"
#include "wire/task_json.hpp"

namespace tickler::wire {
namespace {

core::Task sample_task() {
  core::Task t;
  t.id = 42;
  t.user_id = 7;
  t.title = "Water the plants";
  t.due_at = core::from_millis(1'900'000'000'000);
  t.time_zone = "Europe/Berlin";
  t.tags = {"home"};
  t.reminders = {core::ReminderSpec{15, std::nullopt}};
  t.recurrence = core::Recurrence{"FREQ=WEEKLY", core::RecurrenceMode::schedule};
  t.series_id = 42;
  t.series_start = t.due_at;
  t.created_at = core::from_millis(1'800'000'000'000);
  t.updated_at = t.created_at;
  t.version = 3;
  return t;
}

TaskEvent sample_event() {
  const auto task = sample_task();
  auto before = task_to_json(task);
  before["title"] = "Water the plant";
  return {TaskOp::updated,
          task.id,
          task.user_id,
          task_to_json(task),
          "user:7",
          core::from_millis(1'800'000'100'000),
          task_changes(before, task_to_json(task)),
          "req-1"};
}

TEST(TaskEvents, TypesAreVersionedPerOp) {
  for (auto op :
       {TaskOp::created, TaskOp::updated, TaskOp::completed, TaskOp::reopened, TaskOp::deleted}) {
    const auto type = task_event_type(op);
    EXPECT_EQ(type, "tickler.task." + std::string{to_string(op)} + ".v1");
    EXPECT_EQ(task_op_of_type(type), op);
    EXPECT_EQ(parse_task_op(to_string(op)), op);
  }
  EXPECT_FALSE(task_op_of_type("tickler.task.archived.v1"));
  EXPECT_FALSE(task_op_of_type("tickler.reminder.fired.v1"));
  EXPECT_FALSE(parse_task_op("Created"));
}

TEST(TaskEvents, TaskEventIsWrittenAsTheContractSays) {
  const auto e = sample_event();
  EXPECT_EQ(e.type(), "tickler.task.updated.v1");
  EXPECT_EQ(e.subject(), "42");
  const auto o = e.to_json();
  std::vector<std::string> keys;
  for (const auto& [k, v] : o) keys.emplace_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"event_type", "task_id", "task_data", "user_id",
                                            "actor", "timestamp", "changes", "request_id"}));
  EXPECT_EQ(o.at("event_type"), "updated");
  EXPECT_EQ(o.at("timestamp"), "2027-01-15T08:01:40.000Z");
  EXPECT_EQ(boost::json::serialize(o.at("changes")),
            R"({"title":{"before":"Water the plant","after":"Water the plants"}})");
}

TEST(TaskEvents, TaskEventRoundTrips) {
  const auto e = sample_event();
  auto back = TaskEvent::from_json(e.to_json());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->op, e.op);
  EXPECT_EQ(back->task_id, 42);
  EXPECT_EQ(back->user_id, 7);
  EXPECT_EQ(back->task_data, e.task_data);
  EXPECT_EQ(back->actor, "user:7");
  EXPECT_EQ(back->timestamp, e.timestamp);
  EXPECT_EQ(back->changes, e.changes);
  EXPECT_EQ(back->request_id, "req-1");
  auto task = back->task();
  ASSERT_TRUE(task) << task.error().message;
  EXPECT_EQ(task->user_id, 7);  // from the event: the task's JSON has no owner
  EXPECT_EQ(task->title, "Water the plants");
  EXPECT_EQ(task->recurrence->rrule, "FREQ=WEEKLY");
}

TEST(TaskEvents, TaskEventRefusesMissingOrMistypedMembers) {
  testing::expect_members_checked<TaskEvent>(
      sample_event().to_json(), {"task_id", "user_id", "event_type", "task_data", "actor",
                                 "timestamp", "changes", "request_id"});
  auto o = sample_event().to_json();
  o["event_type"] = "archived";
  EXPECT_EQ(testing::field_of(TaskEvent::from_json(o).error()), "event_type");
  o = sample_event().to_json();
  o["timestamp"] = "yesterday";
  EXPECT_EQ(testing::field_of(TaskEvent::from_json(o).error()), "timestamp");
  // What a poison event lacks first is named first.
  auto poison = TaskEvent::from_json(boost::json::object{{"not", "a task event"}});
  ASSERT_FALSE(poison);
  EXPECT_EQ(poison.error().message, "task_id: is required");
}

TEST(TaskEvents, ABrokenTaskIsNamed) {
  auto e = sample_event();
  e.task_data.erase("title");
  auto task = e.task();
  ASSERT_FALSE(task);
  EXPECT_EQ(task.error().code, core::Errc::validation_failed);
  EXPECT_EQ(testing::field_of(task.error()), "task_data");
  EXPECT_NE(task.error().message.find("title"), std::string::npos);
}

TEST(TaskEvents, ChangesLeaveOutWhatEveryWriteChanges) {
  auto before = task_to_json(sample_task());
  auto after = before;
  after["version"] = 4;
  after["updated_at"] = "2030-01-01T00:00:00.000Z";
  EXPECT_TRUE(task_changes(before, after).empty());
  after.erase("series_id");
  EXPECT_EQ(boost::json::serialize(task_changes(before, after)),
            R"({"series_id":{"before":42,"after":null}})");
  // Created: every field that is not null, from null.
  const auto created = task_changes({}, after);
  EXPECT_EQ(boost::json::serialize(created.at("title")),
            R"({"before":null,"after":"Water the plants"})");
  EXPECT_FALSE(created.contains("completed_at"));
  EXPECT_FALSE(created.contains("version"));
}

TEST(TaskEvents, TaskUpdateRoundTrips) {
  const auto task = sample_task();
  const TaskUpdate u{TaskOp::completed, task_to_json(task), task.user_id, task.version};
  EXPECT_EQ(u.type(), "tickler.task.completed.v1");
  EXPECT_EQ(u.subject(), "42");
  const auto o = u.to_json();
  std::vector<std::string> keys;
  for (const auto& [k, v] : o) keys.emplace_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"op", "task", "user_id", "version"}));
  auto back = TaskUpdate::from_json(o);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->op, TaskOp::completed);
  EXPECT_EQ(back->task, u.task);
  EXPECT_EQ(back->user_id, 7);
  EXPECT_EQ(back->version, 3);
}

TEST(TaskEvents, TaskUpdateRefusesMissingOrMistypedMembers) {
  const auto task = sample_task();
  const auto good = TaskUpdate{TaskOp::created, task_to_json(task), 7, 1}.to_json();
  testing::expect_members_checked<TaskUpdate>(good, {"op", "task", "user_id", "version"});
  auto o = good;
  o["task"].as_object().erase("id");
  auto r = TaskUpdate::from_json(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(testing::field_of(r.error()), "task");
}

}  // namespace
}  // namespace tickler::wire
