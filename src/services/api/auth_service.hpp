#pragma once
// Accounts: sign-up (open, by invite or closed), login, token verification, password change,
// account deletion, and the operator's commands (tickler user …). Blocking (argon2id, store):
// run through base::Offload.
//
// Every token carries the user's token generation (auth::TokenClaims). A password change, a
// reset, disabling or deleting the account moves the generation (or removes the user) in the
// transaction that also writes the account events (task_events.hpp), so older tokens stop
// working: here at once, in other processes within user_cache_ttl, on open WebSockets when the
// realtime role receives tickler.user.revoked.v1.
//
// Personal API tokens (token_service.hpp) are separate credentials: a password change keeps
// them (the user manages them in Settings); disabling the account and the operator's password
// reset delete them, in the same transaction; deleting the account takes them with it.
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "auth/jwt.hpp"
#include "core/result.hpp"
#include "services/api/login_limiter.hpp"
#include "store/store.hpp"

namespace tickler::services::api {

struct AuthResult {
  std::string token;
  core::User user;
};

enum class SignupMode { open, invite, closed };
[[nodiscard]] std::optional<SignupMode> parse_signup_mode(std::string_view text);

struct AuthSettings {
  SignupMode signup = SignupMode::open;
  // How long a user's generation and disabled flag read from the store are trusted before they
  // are read again: changes made by another process (a second api replica, tickler user) take
  // effect within this; this process's own changes at once.
  std::chrono::milliseconds user_cache_ttl{1000};
};

class AuthService {
 public:
  // on_events: called after a commit that appended account events (wakes the outbox relay).
  AuthService(store::Store& store, auth::JwtIssuer jwt, LoginLimiter& limiter,
              AuthSettings settings = {}, std::function<void()> on_events = {})
      : store_(store),
        jwt_(std::move(jwt)),
        limiter_(limiter),
        settings_(settings),
        on_events_(std::move(on_events)) {}

  // conflict (code email_taken) when the email is registered; forbidden signup_closed,
  // invite_required or invite_invalid as the sign-up mode asks.
  core::Result<AuthResult> signup(std::string_view email, std::string_view password,
                                  std::string_view name, std::string_view invite_code = {});
  // unauthorized with one message for unknown email and wrong password; too_many_requests
  // (details.retry_after) after too many failures for client + email; forbidden
  // account_disabled (only after the right password).
  core::Result<AuthResult> login(std::string_view email, std::string_view password,
                                 std::string_view client);
  // The user of a valid token whose user exists, is enabled and has the token's generation
  // (may read the store).
  core::Result<core::UserId> authenticate(std::string_view token);
  // The fast path, no store access: the user of a valid token whose user's state was read
  // recently enough and accepts it; nullopt means "ask authenticate".
  [[nodiscard]] std::optional<core::UserId> authenticate_known(std::string_view token);
  // The claims of a validly signed, unexpired token (not checked against the user).
  [[nodiscard]] core::Result<auth::TokenClaims> claims(std::string_view token) const;
  core::Result<core::User> user(core::UserId id);

  // POST /api/me/password: forbidden wrong_password (counted like a failed login) unless
  // `current` is right; every other token of the user dies; a fresh token for the caller.
  core::Result<AuthResult> change_password(core::UserId id, std::string_view current,
                                           std::string_view next, std::string_view client);
  // DELETE /api/me: the password confirms; then the account and everything of it goes.
  core::Status delete_account(core::UserId id, std::string_view password, std::string_view client);

  // Called after a commit that revoked the user's credentials or deleted the user (the API
  // token cache forgets theirs). Set it before serving.
  void set_on_revoked(std::function<void(core::UserId)> fn) { on_revoked_ = std::move(fn); }

  // The operator's commands. `who` is a user id or an email.
  core::Result<std::vector<core::User>> list_users();
  core::Result<core::User> find_user(std::string_view who);
  // Disabling revokes every token (and deletes the API tokens); enabling lets the user log in
  // again.
  core::Result<core::User> set_disabled(std::string_view who, bool disabled);
  // Sets a new password and revokes every token (and deletes the API tokens: whoever asked the
  // operator for a reset may have lost control of the account).
  core::Result<core::User> reset_password(std::string_view who, std::string_view password);
  core::Result<core::User> delete_user(std::string_view who);
  // A one-time sign-up code valid for `ttl`; only its SHA-256 is stored.
  core::Result<std::string> create_invite(std::chrono::seconds ttl);

 private:
  struct UserState {
    std::int64_t generation = 0;
    bool disabled = false;
    std::chrono::steady_clock::time_point read_at;
  };
  core::Status check_state(const auth::TokenClaims& claims, std::int64_t generation,
                           bool disabled) const;
  void remember(const core::User& user);
  void forget(core::UserId id);
  // Checks the password with the limiter (key client|email): too_many_requests or
  // forbidden wrong_password.
  core::Status confirm_password(const core::User& user, std::string_view password,
                                std::string_view client);
  // Applies `edit` to the user in one transaction with the revocation event (and the deletion of
  // the user's API tokens when `api_tokens_too`); returns the user.
  core::Result<core::User> revoke(core::UserId id, const std::function<void(core::User&)>& edit,
                                  bool api_tokens_too);
  core::Status erase(core::UserId id);

  store::Store& store_;
  auth::JwtIssuer jwt_;
  LoginLimiter& limiter_;
  AuthSettings settings_;
  std::function<void()> on_events_;
  std::function<void(core::UserId)> on_revoked_;
  std::mutex cache_mutex_;
  std::unordered_map<core::UserId, UserState> cache_;
};

}  // namespace tickler::services::api
