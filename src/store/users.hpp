#pragma once
// The accounts area of the Store: users (core::User) and invites, read and changed inside a
// transaction (see store.hpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::store {

// A one-time sign-up code; only its SHA-256 (hex) is stored.
struct Invite {
  std::string code_hash;
  core::Instant created_at{};
  core::Instant expires_at{};
};

// Users of one transaction's snapshot.
class UserReader {
 public:
  virtual ~UserReader() = default;
  virtual core::Result<std::optional<core::User>> user_by_email(std::string_view email) = 0;
  virtual core::Result<std::optional<core::User>> user_by_id(core::UserId id) = 0;
  // Every user, by id.
  virtual core::Result<std::vector<core::User>> users() = 0;
};

// Users and invites changed in a write transaction (which can read them too).
class UserWriter : public virtual UserReader {
 public:
  // conflict when the email exists. Returns the user with its id.
  virtual core::Result<core::User> insert_user(core::User user) = 0;
  // Writes name, password hash, token generation and disabled; not_found when there is no such
  // user.
  virtual core::Status update_user(const core::User& user) = 0;
  // Deletes the user and every row of theirs in the api's tables (tasks, tags, idempotency keys,
  // unsent outbox rows). SQLite, which holds every role's tables, also deletes what
  // delete_user_notifier_data and delete_user_audit do: one transaction for the whole account.
  virtual core::Status delete_user(core::UserId id) = 0;
  virtual core::Status insert_invite(const Invite& invite) = 0;
  // Marks an unused, unexpired invite used at `at`; false when there is none such.
  virtual core::Result<bool> use_invite(std::string_view code_hash, core::Instant at) = 0;
};

}  // namespace tickler::store
