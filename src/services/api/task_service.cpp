#include "services/api/task_service.hpp"

#include "core/reminder_policy.hpp"

namespace tickler::services::api {
namespace {

core::Status check_version(const core::Task& task, std::optional<std::int64_t> expected) {
  if (!expected || *expected == task.version) return {};
  return core::make_error(
      core::Errc::version_mismatch,
      "the task changed since you read it (version " + std::to_string(task.version) + ")",
      {{"current_version", task.version}});
}

// A generated occurrence nobody has touched: still pending at the version it was made with.
bool untouched_occurrence(const core::Task& task) {
  return task.status == core::TaskStatus::pending && task.version == 1;
}

}  // namespace

core::Status TaskService::append_events(store::Writer& w, TaskOp op,
                                        const std::optional<core::Task>& before,
                                        const std::optional<core::Task>& after, const Actor& actor,
                                        core::Instant now) {
  for (const auto& row : task_change_events(op, before, after, actor, now)) {
    if (auto id = w.append_outbox(row); !id) return id.error();
  }
  return {};
}

core::Result<CreateOutcome> TaskService::create(core::UserId user, core::TaskDraft draft,
                                                const std::optional<IdempotencyKey>& key,
                                                const Render& render, const Actor& actor) {
  const auto now = core::now();
  auto out = store_.write_value([&](store::Writer& w) -> core::Result<CreateOutcome> {
    if (key) {
      auto seen = w.idempotent_response(user, key->key, now - k_idempotency_ttl);
      if (!seen) return seen.error();
      if (*seen) {
        if ((*seen)->request_hash != key->request_hash) {
          return core::make_error(core::Errc::idempotency_key_reused,
                                  "this Idempotency-Key was used with a different request");
        }
        return CreateOutcome{(*seen)->status, (*seen)->body, true, 0, 0};
      }
    }
    auto task = core::make_task(user, std::move(draft), now);
    if (auto st = core::check_task(task); !st) return st.error();
    if (auto st = core::check_series_cost(nullptr, task, now); !st) return st.error();
    auto stored = w.insert_task(std::move(task));
    if (!stored) return stored.error();
    if (auto st = append_events(w, TaskOp::created, std::nullopt, *stored, actor, now); !st) {
      return st.error();
    }
    CreateOutcome result{201, render(*stored), false, stored->version, stored->id};
    if (key) {
      auto st = w.save_idempotent_response(user, key->key,
                                           {key->request_hash, result.status, result.body}, now);
      if (!st) return st.error();
    }
    return result;
  });
  if (out && !out->replayed) committed();
  return out;
}

core::Result<core::Task> TaskService::get(core::UserId user, core::TaskId id) {
  return store_.read_value([&](store::Reader& r) { return r.task(user, id); });
}

core::Result<core::TaskPage> TaskService::list(const core::TaskQuery& query) {
  return store_.read_value([&](store::Reader& r) { return r.tasks(query); });
}

core::Result<std::vector<core::TagCount>> TaskService::tags(core::UserId user) {
  return store_.read_value([&](store::Reader& r) { return r.tag_counts(user); });
}

core::Result<core::Task> TaskService::mutate(
    core::UserId user, core::TaskId id, std::optional<std::int64_t> expected_version, TaskOp op,
    const Actor& actor, const std::function<bool(core::Task&, core::Instant)>& change,
    const std::optional<std::string>& link_id) {
  bool changed = false;
  auto out = store_.write_value([&](store::Writer& w) -> core::Result<core::Task> {
    changed = false;
    auto task = w.task(user, id);
    if (!task) return task.error();
    if (auto st = check_version(*task, expected_version); !st) return st.error();
    const auto before = *task;
    const auto now = core::now();
    if (link_id) {
      auto fresh = w.mark_processed(k_link_consumer, *link_id, now);
      if (!fresh) return fresh.error();
      if (!*fresh) {
        auto e = core::make_error(core::Errc::conflict, "this link has been used already");
        e.code_name = "link_used";
        return e;
      }
    }
    if (!change(*task, now)) return task;
    if (auto st = core::check_task(*task); !st) return st.error();
    if (auto st = core::check_series_cost(&before, *task, now); !st) return st.error();
    if (auto st = w.update_task(*task); !st) return st.error();
    if (auto st = append_events(w, op, before, *task, actor, now); !st) return st.error();
    changed = true;
    return task;
  });
  if (out && changed) committed();
  return out;
}

core::Result<core::Task> TaskService::update(core::UserId user, core::TaskId id,
                                             core::TaskPatch patch,
                                             std::optional<std::int64_t> expected_version,
                                             const Actor& actor) {
  return mutate(
      user, id, expected_version, TaskOp::updated, actor,
      [&](core::Task& t, core::Instant at) { return core::apply_patch(t, std::move(patch), at); });
}

core::Status TaskService::remove(core::UserId user, core::TaskId id,
                                 std::optional<std::int64_t> expected_version, const Actor& actor) {
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    auto task = w.task(user, id);
    if (!task) return task.error();
    if (auto v = check_version(*task, expected_version); !v) return v;
    if (auto d = w.delete_task(user, id); !d) return d;
    return append_events(w, TaskOp::deleted, *task, std::nullopt, actor, core::now());
  });
  if (st) committed();
  return st;
}

core::Result<core::Task> TaskService::complete(core::UserId user, core::TaskId id,
                                               const Actor& actor) {
  return mutate(user, id, std::nullopt, TaskOp::completed, actor, core::complete);
}

core::Result<core::Task> TaskService::complete_once(core::UserId user, core::TaskId id,
                                                    const Actor& actor,
                                                    const std::string& link_id) {
  return mutate(user, id, std::nullopt, TaskOp::completed, actor, core::complete, link_id);
}

core::Result<core::Task> TaskService::snooze(core::UserId user, core::TaskId id,
                                             const SnoozeUntil& until, const Actor& actor,
                                             const std::optional<std::string>& link_id) {
  auto task = mutate(
      user, id, std::nullopt, TaskOp::updated, actor,
      [&](core::Task& t, core::Instant now) {
        if (t.status != core::TaskStatus::pending) return false;
        const auto at = until(t, now);
        if (at <= now) return false;
        const core::ReminderSpec spec{std::nullopt, at};
        if (std::find(t.reminders.begin(), t.reminders.end(), spec) != t.reminders.end()) {
          return false;
        }
        t.reminders.push_back(spec);
        t.updated_at = now;
        t.version += 1;
        return true;
      },
      link_id);
  if (task && task->status != core::TaskStatus::pending) {
    auto e = core::make_error(core::Errc::conflict, "the task is completed: nothing to snooze");
    e.code_name = "task_not_pending";
    return e;
  }
  return task;
}

core::Result<ReopenOutcome> TaskService::reopen(core::UserId user, core::TaskId id,
                                                const Actor& actor) {
  bool changed = false;
  auto out = store_.write_value([&](store::Writer& w) -> core::Result<ReopenOutcome> {
    changed = false;
    auto task = w.task(user, id);
    if (!task) return task.error();
    const auto before = *task;
    const auto now = core::now();
    ReopenOutcome result;
    if (!core::reopen(*task, now)) {
      result.task = std::move(*task);
      return result;
    }
    if (auto st = core::check_task(*task); !st) return st.error();
    if (auto st = w.update_task(*task); !st) return st.error();
    if (auto st = append_events(w, TaskOp::reopened, before, *task, actor, now); !st) {
      return st.error();
    }
    if (task->series_id) {
      auto next = w.next_in_series(user, *task->series_id, task->occurrence_index);
      if (!next) return next.error();
      if (*next && untouched_occurrence(**next)) {
        if (auto st = w.delete_task(user, (*next)->id); !st) return st.error();
        if (auto st = append_events(w, TaskOp::deleted, **next, std::nullopt, actor, now); !st) {
          return st.error();
        }
        result.retracted_occurrence = (*next)->id;
      } else if (*next) {
        result.kept_occurrence = std::move(**next);
      }
    }
    result.task = std::move(*task);
    changed = true;
    return result;
  });
  if (out && changed) committed();
  return out;
}

core::Result<core::Task> TaskService::create_occurrence(const OccurrenceRequest& request,
                                                        const Actor& actor) {
  bool created = false;
  auto out = store_.write_value([&](store::Writer& w) -> core::Result<core::Task> {
    auto existing = w.next_in_series(request.user_id, request.series_id, request.previous_index);
    if (!existing) return existing.error();
    if (*existing) return std::move(**existing);
    auto previous = w.task(request.user_id, request.previous_id);
    if (!previous) return previous.error();
    if (previous->status != core::TaskStatus::completed) {
      return core::make_error(core::Errc::not_found,
                              "the occurrence was reopened: its next one is made when it is "
                              "completed again");
    }
    const auto now = core::now();
    core::Task next = *previous;
    next.id = 0;
    next.status = core::TaskStatus::pending;
    next.completed_at.reset();
    next.created_at = now;
    next.updated_at = now;
    next.version = 1;
    if (previous->due_at) {
      next.reminders = core::shift_reminders(previous->reminders, *previous->due_at, request.due);
    }
    next.due_at = request.due;
    next.series_id = request.series_id;
    next.occurrence_index = request.index;
    auto stored = w.insert_task(std::move(next));
    if (!stored) return stored.error();
    if (auto st = append_events(w, TaskOp::created, std::nullopt, *stored, actor, now); !st) {
      return st.error();
    }
    created = true;
    return stored;
  });
  if (out && created) committed();
  return out;
}

core::Status TaskService::purge_idempotency(core::Instant now) {
  return store_.write(
      [&](store::Writer& w) { return w.purge_idempotency(now - k_idempotency_ttl); });
}

}  // namespace tickler::services::api
