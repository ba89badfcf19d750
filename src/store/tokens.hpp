#pragma once
// The personal API tokens area of the Store (the api's table api_tokens): a user's long-lived
// bearer tokens for scripts and AI clients, read and changed inside a transaction (see
// store.hpp). Only the SHA-256 of a token's secret is stored; the secret itself is shown once,
// when the token is made (services/api/token_service.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::store {

struct ApiToken {
  std::int64_t id = 0;
  core::UserId user_id = 0;
  std::string name;
  std::string token_hash;           // hex SHA-256 of the whole token; unique
  std::string prefix;               // the token's first characters, shown in lists
  std::vector<std::string> scopes;  // e.g. "tasks:read", "tasks:write"
  core::Instant created_at{};
  std::optional<core::Instant> expires_at;    // nullopt: never
  std::optional<core::Instant> last_used_at;  // nullopt: never used
};

// Tokens of one transaction's snapshot.
class TokenReader {
 public:
  virtual ~TokenReader() = default;
  // The user's tokens, oldest first.
  virtual core::Result<std::vector<ApiToken>> api_tokens(core::UserId user) = 0;
  virtual core::Result<std::optional<ApiToken>> api_token_by_hash(std::string_view token_hash) = 0;
  virtual core::Result<std::int64_t> count_api_tokens(core::UserId user) = 0;
};

// Tokens changed in a write transaction (which can read them too). A user's tokens go with the
// user (UserWriter::delete_user).
class TokenWriter : public virtual TokenReader {
 public:
  // conflict when the hash exists. Returns the token with its id.
  virtual core::Result<ApiToken> insert_api_token(ApiToken token) = 0;
  // false when the user has no token with this id.
  virtual core::Result<bool> delete_api_token(core::UserId user, std::int64_t id) = 0;
  // Every token of the user; returns how many there were.
  virtual core::Result<std::int64_t> delete_api_tokens(core::UserId user) = 0;
  // Sets last_used_at to `at` unless it is later already.
  virtual core::Status touch_api_token(std::int64_t id, core::Instant at) = 0;
};

}  // namespace tickler::store
