#include "services/api/auth_service.hpp"

#include "auth/password.hpp"
#include "core/validation.hpp"

namespace tickler::services::api {
namespace {

core::Error bad_credentials() {
  return core::make_error(core::Errc::unauthorized, "invalid email or password");
}

}  // namespace

core::Result<AuthResult> AuthService::signup(std::string_view email, std::string_view password,
                                             std::string_view name) {
  auto normalized = core::normalize_email(email);
  if (!normalized) return normalized.error();
  if (auto st = core::check_password(password); !st) return st.error();
  auto clean_name = core::normalize_name(name);
  if (!clean_name) return clean_name.error();
  auto hash = auth::hash_password(password);
  if (!hash) return hash.error();
  const auto now = core::now();
  auto user = store_.write_value([&](store::Writer& w) -> core::Result<core::User> {
    return w.insert_user({0, *normalized, *clean_name, *hash, now});
  });
  if (!user) {
    auto e = user.error();
    if (e.code == core::Errc::conflict) {
      e.code_name = "email_taken";
      e.message = "an account with this email exists already";
      e.details = {{"field", "email"}};
    }
    return e;
  }
  {
    std::lock_guard lock{known_mutex_};
    known_users_.insert(user->id);
  }
  return AuthResult{jwt_.issue(user->id, now), std::move(*user)};
}

core::Result<AuthResult> AuthService::login(std::string_view email, std::string_view password,
                                            std::string_view client) {
  auto normalized = core::normalize_email(email);
  const auto now = core::now();
  const std::string key =
      std::string{client} + "|" + (normalized ? *normalized : std::string{email});
  if (auto wait = limiter_.blocked(key, now)) {
    auto e =
        core::make_error(core::Errc::too_many_requests, "too many failed logins; try again later",
                         {{"retry_after", std::int64_t{wait->count()}}});
    return e;
  }
  if (!normalized) {
    limiter_.record_failure(key, now);
    return bad_credentials();
  }
  auto found = store_.read_value([&](store::Reader& r) { return r.user_by_email(*normalized); });
  if (!found) return found.error();
  const bool ok = *found ? auth::verify_password((*found)->password_hash, password)
                         : (auth::verify_password_dummy(password), false);
  if (!ok) {
    limiter_.record_failure(key, now);
    return bad_credentials();
  }
  limiter_.reset(key);
  auto user = std::move(**found);
  return AuthResult{jwt_.issue(user.id, now), std::move(user)};
}

core::Result<core::UserId> AuthService::authenticate(std::string_view token) {
  auto id = jwt_.verify(token, core::now());
  if (!id) return id.error();
  {
    std::lock_guard lock{known_mutex_};
    if (known_users_.contains(*id)) return *id;
  }
  auto u = user(*id);
  if (!u) return u.error();
  std::lock_guard lock{known_mutex_};
  known_users_.insert(*id);
  return *id;
}

std::optional<core::UserId> AuthService::authenticate_known(std::string_view token) {
  auto id = jwt_.verify(token, core::now());
  if (!id) return std::nullopt;
  std::lock_guard lock{known_mutex_};
  if (known_users_.contains(*id)) return *id;
  return std::nullopt;
}

core::Result<core::User> AuthService::user(core::UserId id) {
  auto found = store_.read_value([&](store::Reader& r) { return r.user_by_id(id); });
  if (!found) return found.error();
  if (!*found) return core::make_error(core::Errc::unauthorized, "the token's user does not exist");
  return std::move(**found);
}

}  // namespace tickler::services::api
