#pragma once
// Rows of the auditor's tables: the append-only audit log and the head of each user's chain.
#include <cstdint>
#include <optional>
#include <string>

#include "core/task.hpp"

namespace tickler::store {

struct AuditEntry {
  std::int64_t id = 0;
  std::string event_id;
  core::UserId user_id = 0;
  core::TaskId task_id = 0;
  std::string actor;
  std::string type;
  std::string changes;  // JSON {field: {before, after}}
  core::Instant at{};
  std::string request_id;
  std::string prev_hash;
  std::string hash;
};

struct AuditHead {
  core::UserId user_id = 0;
  std::int64_t last_id = 0;
  std::string hash;
  std::int64_t entries = 0;
};

}  // namespace tickler::store
