#pragma once
// The api's task operations on the Store: each runs in one write transaction, checks the
// caller's expected version, and (from issue A2 on) appends its events there too. Blocking.
#include <functional>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/task_query.hpp"
#include "core/validation.hpp"
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

class TaskService {
 public:
  using Render = std::function<std::string(const core::Task&)>;
  explicit TaskService(store::Store& store) : store_(store) {}

  core::Result<CreateOutcome> create(core::UserId user, core::TaskDraft draft,
                                     const std::optional<IdempotencyKey>& key,
                                     const Render& render);
  core::Result<core::Task> get(core::UserId user, core::TaskId id);
  core::Result<core::TaskPage> list(const core::TaskQuery& query);
  core::Result<std::vector<core::TagCount>> tags(core::UserId user);
  core::Result<core::Task> update(core::UserId user, core::TaskId id, core::TaskPatch patch,
                                  std::optional<std::int64_t> expected_version);
  core::Status remove(core::UserId user, core::TaskId id,
                      std::optional<std::int64_t> expected_version);
  core::Result<core::Task> complete(core::UserId user, core::TaskId id);
  core::Result<core::Task> reopen(core::UserId user, core::TaskId id);
  core::Status purge_idempotency(core::Instant now);

 private:
  // Loads the task, applies change (which returns whether it changed anything) and stores it.
  core::Result<core::Task> mutate(core::UserId user, core::TaskId id,
                                  std::optional<std::int64_t> expected_version,
                                  const std::function<bool(core::Task&, core::Instant)>& change);
  store::Store& store_;
};

inline constexpr std::chrono::hours k_idempotency_ttl{24};

}  // namespace tickler::services::api
