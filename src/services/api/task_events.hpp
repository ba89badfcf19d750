#pragma once
// The events a change publishes, as outbox rows written in the change's own transaction. The
// payloads are defined in wire/ (task_events.hpp, reminder_events.hpp, account_events.hpp), the
// envelope in outbox/envelope.hpp.
#include <optional>
#include <string>
#include <vector>

#include "core/task.hpp"
#include "store/events.hpp"
#include "wire/task_events.hpp"

namespace tickler::services::api {

// Who made a change: "user:<id>" for API calls, "recurrer" for generated occurrences.
struct Actor {
  std::string name;
  std::string request_id;
};

using TaskOp = wire::TaskOp;

// A task's change: a TaskEvent on task-events (for the recurrer and the auditor), a TaskUpdate on
// task-updates (for live clients), and the reminders it cancels or (re)schedules on reminders
// (for the notifier). before: the task as it was (none for created); after: as it is (none for
// deleted).
[[nodiscard]] std::vector<store::OutboxRow> task_change_events(
    TaskOp op, const std::optional<core::Task>& before, const std::optional<core::Task>& after,
    const Actor& actor, core::Instant now);

// An account's change: UserRevoked (the tokens of generations before token_generation are
// revoked), and when the account was deleted UserDeleted.
[[nodiscard]] std::vector<store::OutboxRow> account_events(core::UserId user,
                                                           std::int64_t token_generation,
                                                           bool deleted, core::Instant now);

}  // namespace tickler::services::api
