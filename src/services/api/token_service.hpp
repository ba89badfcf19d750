#pragma once
// Personal API tokens: a user's long-lived, scoped bearer tokens for scripts and AI clients
// (`tkl_pat_<43 base64url characters: 32 random bytes>`). Made, listed and deleted by the web
// UI's session (the routes' Access::account); accepted as Bearer wherever a task route is.
// Only the token's SHA-256 is stored, so the secret is shown once, when it is made.
//
// Scopes: "tasks:read" and "tasks:write"; write implies read (every write answers the task it
// wrote, so a write-only token would read anyway), so a token holds ["tasks:read"] or
// ["tasks:read", "tasks:write"].
//
// authenticate() checks the token against the store (exists, unexpired, its user exists and is
// enabled) and remembers the answer for cache_ttl; a deletion in this process forgets it at
// once (also when it races a lookup), other processes (another api replica, `tickler user`)
// within cache_ttl. last_used_at is written at most once per touch_interval per token.
// Blocking (store): run through base::Offload.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "store/store.hpp"

namespace tickler::services::api {

inline constexpr std::string_view k_personal_token_prefix = "tkl_pat_";
inline constexpr std::string_view k_scope_tasks_read = "tasks:read";
inline constexpr std::string_view k_scope_tasks_write = "tasks:write";

struct TokenSettings {
  std::chrono::milliseconds cache_ttl{1000};
  std::chrono::seconds touch_interval{60};
  std::int64_t max_per_user = 100;
  int max_expires_in_days = 3650;
};

// What POST /api/tokens asks for.
struct TokenRequest {
  std::string name;                    // 1–100 characters after trimming, no control characters
  std::vector<std::string> scopes;     // non-empty, each a known scope
  std::optional<int> expires_in_days;  // 1–max_expires_in_days; nullopt: never expires
};

// A token just made: the secret (shown once) and its row.
struct NewToken {
  std::string secret;
  store::ApiToken token;
};

class TokenService {
 public:
  explicit TokenService(store::Store& store, TokenSettings settings = {})
      : store_(store), settings_(settings) {}

  // validation_failed (details.field: name, scopes, expires_in_days) for a bad request;
  // conflict too_many_tokens when the user holds max_per_user tokens already.
  core::Result<NewToken> create(core::UserId user, TokenRequest request);
  // The user's tokens, oldest first (never a secret: the store has none).
  core::Result<std::vector<store::ApiToken>> list(core::UserId user);
  // not_found when the user has no token with this id (another user's included).
  core::Status remove(core::UserId user, std::int64_t id);
  // Deletes every token of the user in `w` (the transaction of an account change; call
  // forget_user after it commits).
  static core::Status remove_all(store::Writer& w, core::UserId user);

  // The token's row when it is valid now (may read and write the store): unauthorized
  // (token_invalid, token_expired, account_disabled) otherwise.
  core::Result<store::ApiToken> authenticate(std::string_view token);
  // The fast path, no store access: the row of a token checked within cache_ttl whose last use
  // needs no writing; nullopt means "ask authenticate".
  [[nodiscard]] std::optional<store::ApiToken> authenticate_known(std::string_view token);
  // Forgets what is cached of the user's tokens (their account was disabled, reset or deleted).
  void forget_user(core::UserId user);

  [[nodiscard]] static bool is_personal_token(std::string_view token) {
    return token.starts_with(k_personal_token_prefix);
  }

 private:
  struct Cached {
    store::ApiToken token;
    std::chrono::steady_clock::time_point read_at;
  };
  void remember(const std::string& hash, const store::ApiToken& token, std::uint64_t epoch);
  [[nodiscard]] std::uint64_t epoch() const;

  store::Store& store_;
  TokenSettings settings_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash
  // Moves on every forget: a lookup that began before one must not cache what it read.
  std::uint64_t epoch_ = 0;
};

}  // namespace tickler::services::api
