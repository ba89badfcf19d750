#pragma once
// The tasks area of the Store: tasks (core::Task) with their tags, listings, and the stored
// answers of Idempotency-Keys, read and changed inside a transaction (see store.hpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/task_query.hpp"

namespace tickler::store {

// A stored answer for an Idempotency-Key.
struct IdempotentResponse {
  std::string request_hash;
  int status = 0;
  std::string body;
};

// Tasks of one transaction's snapshot.
class TaskReader {
 public:
  virtual ~TaskReader() = default;
  // not_found when the task does not exist for this user.
  virtual core::Result<core::Task> task(core::UserId user, core::TaskId id) = 0;
  virtual core::Result<core::TaskPage> tasks(const core::TaskQuery& query) = 0;
  // The first task of a user's series with an index above after_index, if any.
  virtual core::Result<std::optional<core::Task>> next_in_series(core::UserId user,
                                                                 core::TaskId series_id,
                                                                 int after_index) = 0;
  virtual core::Result<std::vector<core::TagCount>> tag_counts(core::UserId user) = 0;
  // The stored answer for (user, key) created at or after not_before, if any.
  virtual core::Result<std::optional<IdempotentResponse>> idempotent_response(
      core::UserId user, std::string_view key, core::Instant not_before) = 0;
};

// Tasks and idempotency keys changed in a write transaction (which can read them too).
class TaskWriter : public virtual TaskReader {
 public:
  // Assigns the id.
  virtual core::Result<core::Task> insert_task(core::Task task) = 0;
  virtual core::Status update_task(const core::Task& task) = 0;
  virtual core::Status delete_task(core::UserId user, core::TaskId id) = 0;
  virtual core::Status save_idempotent_response(core::UserId user, std::string_view key,
                                                const IdempotentResponse& response,
                                                core::Instant at) = 0;
  virtual core::Status purge_idempotency(core::Instant older_than) = 0;
};

}  // namespace tickler::store
