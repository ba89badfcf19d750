#pragma once
// The audit area of the Store, the auditor's tables: the append-only audit log and the head of
// each user's chain; their rows and their Reader and Writer (see store.hpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
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

// The audit log of one transaction's snapshot.
class AuditReader {
 public:
  virtual ~AuditReader() = default;
  // A task's entries, oldest first.
  virtual core::Result<std::vector<AuditEntry>> audit_history(core::UserId user,
                                                              core::TaskId task) = 0;
  // Every entry in chain order (user, id), without holding the whole log in memory; stops at
  // the first error fn returns.
  virtual core::Status for_each_audit_entry(
      const std::function<core::Status(const AuditEntry&)>& fn) = 0;
  virtual core::Result<std::vector<AuditHead>> audit_heads() = 0;
  virtual core::Result<std::optional<AuditHead>> audit_head(core::UserId user) = 0;
};

// The audit log appended to in a write transaction (which can read it too).
class AuditWriter : public virtual AuditReader {
 public:
  // Appends an entry (its hashes already computed) and moves the user's chain head to it.
  virtual core::Result<std::int64_t> append_audit(const AuditEntry& entry) = 0;
  // The auditor's rows of a deleted user: the user's whole hash chain and its head (chains are
  // per user, so every other chain still verifies).
  virtual core::Status delete_user_audit(core::UserId user) = 0;
};

}  // namespace tickler::store
