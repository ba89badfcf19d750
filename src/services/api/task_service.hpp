#pragma once
// The api's task operations on the Store. Each runs in one write transaction that checks the
// caller's expected version, makes the change and appends the events announcing it to the
// outbox (task_events.hpp); after the commit, on_events wakes the outbox relay. Blocking.
#include <functional>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/series.hpp"
#include "core/task.hpp"
#include "core/task_query.hpp"
#include "core/validation.hpp"
#include "services/api/task_events.hpp"
#include "store/store.hpp"

namespace tickler::services::api {

// An Idempotency-Key with the hash of the request it came with.
struct IdempotencyKey {
  std::string key;
  std::string request_hash;
};

// What POST /api/tasks answers: fresh, or replayed from the idempotency store.
struct CreateOutcome {
  int status = 201;
  std::string body;
  bool replayed = false;
  std::int64_t version = 1;
  core::TaskId id = 0;
};

using core::OccurrenceRequest;

// What POST /api/tasks/{id}/reopen did. Reopening a completed occurrence of a series takes back
// the next occurrence its completion made when that one is untouched (pending, version 1): it is
// deleted in the reopen's transaction, so the user is not left with two open copies. A next
// occurrence changed since (edited or completed) is kept and named here, so the client can say so.
struct ReopenOutcome {
  core::Task task;
  std::optional<core::TaskId> retracted_occurrence;
  std::optional<core::Task> kept_occurrence;
};

// Until when a snooze lasts, decided when it is applied, from the task and the time then (a
// fixed instant; or 10 min, 1 h, tomorrow 9:00 in the task's zone for the mailed links).
using SnoozeUntil = std::function<core::Instant(const core::Task&, core::Instant now)>;

// The consumer name under which the api records the ids of mailed links that acted (as processed
// events), in the transaction of the change they made: a link acts once.
inline constexpr std::string_view k_link_consumer = "email-link";

class TaskService {
 public:
  using Render = std::function<std::string(const core::Task&)>;
  TaskService(store::Store& store, std::function<void()> on_events)
      : store_(store), on_events_(std::move(on_events)) {}

  core::Result<CreateOutcome> create(core::UserId user, core::TaskDraft draft,
                                     const std::optional<IdempotencyKey>& key, const Render& render,
                                     const Actor& actor);
  core::Result<core::Task> get(core::UserId user, core::TaskId id);
  core::Result<core::TaskPage> list(const core::TaskQuery& query);
  core::Result<std::vector<core::TagCount>> tags(core::UserId user);
  core::Result<core::Task> update(core::UserId user, core::TaskId id, core::TaskPatch patch,
                                  std::optional<std::int64_t> expected_version, const Actor& actor);
  core::Status remove(core::UserId user, core::TaskId id,
                      std::optional<std::int64_t> expected_version, const Actor& actor);
  core::Result<core::Task> complete(core::UserId user, core::TaskId id, const Actor& actor);
  core::Result<ReopenOutcome> reopen(core::UserId user, core::TaskId id, const Actor& actor);
  // Adds a one-off reminder at `until` (which must come after now) to a pending task: the
  // reminders topic schedules it like any other. conflict "task_not_pending" for a completed one.
  // `link_id`: a mailed link's id, recorded in the change's transaction; a link used already
  // changes nothing (conflict "link_used"). complete_once: the same for a completion.
  core::Result<core::Task> snooze(core::UserId user, core::TaskId id, const SnoozeUntil& until,
                                  const Actor& actor, const std::optional<std::string>& link_id);
  core::Result<core::Task> complete_once(core::UserId user, core::TaskId id, const Actor& actor,
                                         const std::string& link_id);
  // Creates the occurrence `index` of a series from the previous one (title, description,
  // priority, tags, rule; reminders shifted to the new due). Idempotent: when the series already
  // has an occurrence after the previous one (a redelivery, a reopen of a changed next occurrence
  // and second completion, a second consumer), answers that one and changes nothing. not_found
  // when the previous task is gone (deleting a task ends its series) or is no longer completed
  // (reopened before its next occurrence was made: nothing to make until it is completed again).
  core::Result<core::Task> create_occurrence(const OccurrenceRequest& request, const Actor& actor);
  core::Status purge_idempotency(core::Instant now);

 private:
  // Loads the task, applies change (which returns whether it changed anything), stores it and
  // appends op's events.
  core::Result<core::Task> mutate(core::UserId user, core::TaskId id,
                                  std::optional<std::int64_t> expected_version, TaskOp op,
                                  const Actor& actor,
                                  const std::function<bool(core::Task&, core::Instant)>& change,
                                  const std::optional<std::string>& link_id = std::nullopt);
  core::Status append_events(store::Writer& w, TaskOp op, const std::optional<core::Task>& before,
                             const std::optional<core::Task>& after, const Actor& actor,
                             core::Instant now);
  void committed() const {
    if (on_events_) on_events_();
  }
  store::Store& store_;
  std::function<void()> on_events_;
};

inline constexpr std::chrono::hours k_idempotency_ttl{24};

}  // namespace tickler::services::api
