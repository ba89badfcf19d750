// TaskService::reopen on every store engine (the Store contract's fixture): reopening a completed
// occurrence takes back its untouched next occurrence in the same transaction, keeps a changed
// one, and a completion event reaching the recurrer after the reopen makes nothing.
#include "services/api/task_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "store/store_contract_test_support.hpp"

namespace tickler::services::api {
namespace {

using store::contract::Engine;

class TaskServiceReopen : public store::contract::StoreContract {
 protected:
  const Actor actor_{"user:1", "req-1"};
  TaskService service() { return TaskService{*store_, {}}; }

  core::Task recurring(TaskService& tasks) {
    core::TaskDraft d;
    d.title = "Stretch";
    d.due_at = core::from_millis(1'900'000'000'000);
    d.recurrence = core::Recurrence{"FREQ=DAILY", core::RecurrenceMode::schedule};
    auto out = tasks.create(
        alice_, d, std::nullopt, [](const core::Task&) { return ""; }, actor_);
    EXPECT_TRUE(out) << out.error().message;
    auto task = tasks.get(alice_, out ? out->id : 0);
    EXPECT_TRUE(task);
    return task ? *task : core::Task{};
  }

  // What the recurrer asks for after `task` was completed.
  core::Result<core::Task> make_next(TaskService& tasks, const core::Task& task) {
    const core::OccurrenceRequest request{alice_,
                                          task.id,
                                          task.occurrence_index,
                                          *task.series_id,
                                          task.occurrence_index + 1,
                                          *task.due_at + std::chrono::hours{24}};
    return tasks.create_occurrence(request, {"recurrer", ""});
  }

  int deleted_events_of(core::TaskId id) {
    auto rows = store_->read_value(
        [&](store::Reader& r) { return r.unsent_outbox(10'000, store::OutboxLane{}); });
    EXPECT_TRUE(rows);
    if (!rows) return -1;
    // task-events (for the auditor: by the user who reopened) and task-updates (live clients).
    return static_cast<int>(std::count_if(rows->begin(), rows->end(), [&](const auto& row) {
      const bool by_user =
          row.topic != "task-events" || row.data.find("\"actor\":\"user:1\"") != std::string::npos;
      return row.type == "tickler.task.deleted.v1" && row.subject == std::to_string(id) && by_user;
    }));
  }
};

INSTANTIATE_TEST_SUITE_P(Engines, TaskServiceReopen,
                         ::testing::Values(Engine::sqlite, Engine::postgres),
                         store::contract::engine_name);

TEST_P(TaskServiceReopen, TakesBackTheUntouchedNextOccurrenceAndMakesItAgainOnCompletion) {
  auto tasks = service();
  const auto first = recurring(tasks);
  ASSERT_TRUE(tasks.complete(alice_, first.id, actor_));
  auto next = make_next(tasks, first);
  ASSERT_TRUE(next) << next.error().message;

  auto reopened = tasks.reopen(alice_, first.id, actor_);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(reopened->task.status, core::TaskStatus::pending);
  EXPECT_EQ(reopened->retracted_occurrence, next->id);
  EXPECT_FALSE(reopened->kept_occurrence);
  auto gone = tasks.get(alice_, next->id);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, core::Errc::not_found);
  // Its task-events and task-updates rows: the auditor and the live clients hear of it.
  EXPECT_EQ(deleted_events_of(next->id), 2);

  // Reopening again changes nothing.
  auto again = tasks.reopen(alice_, first.id, actor_);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->retracted_occurrence);
  EXPECT_EQ(again->task.version, reopened->task.version);

  // Completed again: the series index is free, the next occurrence is made anew, exactly once.
  ASSERT_TRUE(tasks.complete(alice_, first.id, actor_));
  auto remade = make_next(tasks, first);
  ASSERT_TRUE(remade) << remade.error().message;
  EXPECT_NE(remade->id, next->id);
  EXPECT_EQ(remade->occurrence_index, 1);
  auto redelivered = make_next(tasks, first);
  ASSERT_TRUE(redelivered);
  EXPECT_EQ(redelivered->id, remade->id);
}

TEST_P(TaskServiceReopen, KeepsANextOccurrenceChangedOrCompletedSince) {
  auto tasks = service();
  const auto first = recurring(tasks);
  ASSERT_TRUE(tasks.complete(alice_, first.id, actor_));
  auto next = make_next(tasks, first);
  ASSERT_TRUE(next);
  core::TaskPatch patch;
  patch.priority = core::Priority::high;
  ASSERT_TRUE(tasks.update(alice_, next->id, patch, std::nullopt, actor_));

  auto reopened = tasks.reopen(alice_, first.id, actor_);
  ASSERT_TRUE(reopened);
  EXPECT_FALSE(reopened->retracted_occurrence);
  ASSERT_TRUE(reopened->kept_occurrence);
  EXPECT_EQ(reopened->kept_occurrence->id, next->id);
  EXPECT_TRUE(tasks.get(alice_, next->id));
  EXPECT_EQ(deleted_events_of(next->id), 0);

  ASSERT_TRUE(tasks.complete(alice_, first.id, actor_));
  ASSERT_TRUE(tasks.complete(alice_, next->id, actor_));
  auto reopened_again = tasks.reopen(alice_, first.id, actor_);
  ASSERT_TRUE(reopened_again && reopened_again->kept_occurrence);
  EXPECT_EQ(reopened_again->kept_occurrence->status, core::TaskStatus::completed);
}

TEST_P(TaskServiceReopen, ACompletionEventAfterTheReopenMakesNothing) {
  auto tasks = service();
  const auto first = recurring(tasks);
  ASSERT_TRUE(tasks.complete(alice_, first.id, actor_));
  auto reopened = tasks.reopen(alice_, first.id, actor_);
  ASSERT_TRUE(reopened);
  EXPECT_FALSE(reopened->retracted_occurrence);
  EXPECT_FALSE(reopened->kept_occurrence);

  auto late = make_next(tasks, first);  // the recurrer, late
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::Errc::not_found);
  auto none = store_->read_value(
      [&](store::Reader& r) { return r.next_in_series(alice_, *first.series_id, 0); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

}  // namespace
}  // namespace tickler::services::api
