#pragma once
// Sign-up, login and token verification. Blocking (argon2id, store): run through http::Offload.
#include <mutex>
#include <string>
#include <unordered_set>

#include "auth/jwt.hpp"
#include "core/result.hpp"
#include "services/api/login_limiter.hpp"
#include "store/store.hpp"

namespace tickler::services::api {

struct AuthResult {
  std::string token;
  core::User user;
};

class AuthService {
 public:
  AuthService(store::Store& store, auth::JwtIssuer jwt, LoginLimiter& limiter)
      : store_(store), jwt_(std::move(jwt)), limiter_(limiter) {}

  // conflict (code email_taken) when the email is registered.
  core::Result<AuthResult> signup(std::string_view email, std::string_view password,
                                  std::string_view name);
  // unauthorized with one message for unknown email and wrong password; too_many_requests
  // (details.retry_after) after too many failures for client + email.
  core::Result<AuthResult> login(std::string_view email, std::string_view password,
                                 std::string_view client);
  // The user of a valid token whose user exists (may read the store).
  core::Result<core::UserId> authenticate(std::string_view token);
  // The fast path, no store access: the user of a valid token whose user is known to exist.
  [[nodiscard]] std::optional<core::UserId> authenticate_known(std::string_view token);
  core::Result<core::User> user(core::UserId id);

 private:
  store::Store& store_;
  auth::JwtIssuer jwt_;
  LoginLimiter& limiter_;
  std::mutex known_mutex_;
  std::unordered_set<core::UserId> known_users_;  // users seen to exist; users are never deleted
};

}  // namespace tickler::services::api
