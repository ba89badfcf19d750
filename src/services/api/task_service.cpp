#include "services/api/task_service.hpp"

namespace tickler::services::api {
namespace {

core::Status check_version(const core::Task& task, std::optional<std::int64_t> expected) {
  if (!expected || *expected == task.version) return {};
  return core::make_error(
      core::Errc::version_mismatch,
      "the task changed since you read it (version " + std::to_string(task.version) + ")",
      {{"current_version", task.version}});
}

}  // namespace

core::Result<CreateOutcome> TaskService::create(core::UserId user, core::TaskDraft draft,
                                                const std::optional<IdempotencyKey>& key,
                                                const Render& render) {
  const auto now = core::now();
  return store_.write_value([&](store::Writer& w) -> core::Result<CreateOutcome> {
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
    auto task = w.insert_task(core::make_task(user, std::move(draft), now));
    if (!task) return task.error();
    CreateOutcome out{201, render(*task), false, task->version, task->id};
    if (key) {
      auto st = w.save_idempotent_response(user, key->key,
                                           {key->request_hash, out.status, out.body}, now);
      if (!st) return st.error();
    }
    return out;
  });
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
    core::UserId user, core::TaskId id, std::optional<std::int64_t> expected_version,
    const std::function<bool(core::Task&, core::Instant)>& change) {
  return store_.write_value([&](store::Writer& w) -> core::Result<core::Task> {
    auto task = w.task(user, id);
    if (!task) return task.error();
    if (auto st = check_version(*task, expected_version); !st) return st.error();
    if (!change(*task, core::now())) return task;
    if (auto st = w.update_task(*task); !st) return st.error();
    return task;
  });
}

core::Result<core::Task> TaskService::update(core::UserId user, core::TaskId id,
                                             core::TaskPatch patch,
                                             std::optional<std::int64_t> expected_version) {
  return mutate(user, id, expected_version, [&](core::Task& t, core::Instant at) {
    return core::apply_patch(t, std::move(patch), at);
  });
}

core::Status TaskService::remove(core::UserId user, core::TaskId id,
                                 std::optional<std::int64_t> expected_version) {
  return store_.write([&](store::Writer& w) -> core::Status {
    auto task = w.task(user, id);
    if (!task) return task.error();
    if (auto st = check_version(*task, expected_version); !st) return st;
    return w.delete_task(user, id);
  });
}

core::Result<core::Task> TaskService::complete(core::UserId user, core::TaskId id) {
  return mutate(user, id, std::nullopt, core::complete);
}

core::Result<core::Task> TaskService::reopen(core::UserId user, core::TaskId id) {
  return mutate(user, id, std::nullopt, core::reopen);
}

core::Status TaskService::purge_idempotency(core::Instant now) {
  return store_.write(
      [&](store::Writer& w) { return w.purge_idempotency(now - k_idempotency_ttl); });
}

}  // namespace tickler::services::api
