#pragma once
// The events a task change publishes, as outbox rows written in the change's own transaction:
// task-events (for the recurrer and the auditor), task-updates (for real-time clients) and
// reminders (scheduled / cancelled, for the notifier).
#include <optional>
#include <string>
#include <vector>

#include "core/task.hpp"
#include "store/events.hpp"

namespace tickler::services::api {

// Who made a change: "user:<id>" for API calls, "recurrer" for generated occurrences.
struct Actor {
  std::string name;
  std::string request_id;
};

enum class TaskOp { created, updated, completed, reopened, deleted };
[[nodiscard]] std::string_view to_string(TaskOp op);

// before: the task as it was (none for created); after: as it is (none for deleted).
[[nodiscard]] std::vector<store::OutboxRow> task_change_events(
    TaskOp op, const std::optional<core::Task>& before, const std::optional<core::Task>& after,
    const Actor& actor, core::Instant now);

inline constexpr std::string_view k_api_source = "tickler/api";

// Account events, written in the transaction of the change:
// tickler.user.revoked.v1 on task-updates {user_id, token_generation}: the realtime role closes
// the user's WebSockets opened with a token of an older generation.
// tickler.user.deleted.v1 on reminders and on task-events {user_id}: the notifier and the
// auditor delete what they hold of the user (deleted also revokes).
inline constexpr std::string_view k_user_revoked_type = "tickler.user.revoked.v1";
inline constexpr std::string_view k_user_deleted_type = "tickler.user.deleted.v1";
[[nodiscard]] std::vector<store::OutboxRow> account_events(core::UserId user,
                                                           std::int64_t token_generation,
                                                           bool deleted, core::Instant now);

}  // namespace tickler::services::api
