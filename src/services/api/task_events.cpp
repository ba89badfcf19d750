#include "services/api/task_events.hpp"

#include <algorithm>

#include "core/reminder_policy.hpp"
#include "outbox/envelope.hpp"
#include "wire/account_events.hpp"
#include "wire/reminder_events.hpp"
#include "wire/task_json.hpp"

namespace tickler::services::api {

std::vector<store::OutboxRow> account_events(core::UserId user, std::int64_t token_generation,
                                             bool deleted, core::Instant now) {
  std::vector<store::OutboxRow> rows;
  outbox::append_outbox_rows(rows, wire::UserRevoked{user, token_generation}, now);
  if (deleted) outbox::append_outbox_rows(rows, wire::UserDeleted{user}, now);
  return rows;
}

std::vector<store::OutboxRow> task_change_events(TaskOp op, const std::optional<core::Task>& before,
                                                 const std::optional<core::Task>& after,
                                                 const Actor& actor, core::Instant now) {
  const core::Task& task = after ? *after : *before;
  const boost::json::object none;
  const auto before_json = before ? wire::task_to_json(*before) : none;
  auto task_json = wire::task_to_json(task);
  std::vector<store::OutboxRow> rows;

  wire::TaskEvent event{op,
                        task.id,
                        task.user_id,
                        task_json,
                        actor.name,
                        now,
                        wire::task_changes(before_json, after ? task_json : none),
                        actor.request_id};
  outbox::append_outbox_rows(rows, std::move(event), now);
  outbox::append_outbox_rows(
      rows, wire::TaskUpdate{op, std::move(task_json), task.user_id, task.version}, now);

  // Reminders: cancel those that no longer exist, (re)schedule the current future ones. The
  // notifier upserts by id, so re-sending an unchanged reminder is harmless.
  const auto old_set =
      before ? core::plan_reminders(*before) : std::vector<core::PlannedReminder>{};
  const auto new_set = after ? core::plan_reminders(*after) : std::vector<core::PlannedReminder>{};
  for (const auto& r : old_set) {
    if (std::find(new_set.begin(), new_set.end(), r) != new_set.end()) continue;
    outbox::append_outbox_rows(
        rows, wire::ReminderCancelled{r.id, task.id, task.user_id, r.remind_at}, now);
  }
  for (const auto& r : new_set) {
    if (r.remind_at <= now) continue;  // a reminder already in the past when set is not sent
    outbox::append_outbox_rows(
        rows,
        wire::ReminderScheduled{r.id, task.id, task.title, task.due_at, r.remind_at, task.user_id,
                                task.time_zone, task.priority},
        now);
  }
  return rows;
}

}  // namespace tickler::services::api
