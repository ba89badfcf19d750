#include "services/api/auth_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <charconv>

#include "auth/digest.hpp"
#include "auth/password.hpp"
#include "core/validation.hpp"
#include "services/api/task_events.hpp"
#include "services/api/token_service.hpp"

namespace tickler::services::api {
namespace {

constexpr std::size_t k_max_cached_users = 100'000;

core::Error bad_credentials() {
  return core::make_error(core::Errc::unauthorized, "invalid email or password");
}

core::Error forbidden(std::string code, std::string message) {
  auto e = core::make_error(core::Errc::forbidden, std::move(message));
  e.code_name = std::move(code);
  return e;
}

core::Error unauthorized(std::string code, std::string message) {
  auto e = core::make_error(core::Errc::unauthorized, std::move(message));
  e.code_name = std::move(code);
  return e;
}

core::Error too_many(std::chrono::seconds wait) {
  return core::make_error(core::Errc::too_many_requests, "too many failed logins; try again later",
                          {{"retry_after", std::int64_t{wait.count()}}});
}

std::string limiter_key(std::string_view client, std::string_view email) {
  return std::string{client} + "|" + std::string{email};
}

}  // namespace

std::optional<SignupMode> parse_signup_mode(std::string_view text) {
  if (text == "open") return SignupMode::open;
  if (text == "invite") return SignupMode::invite;
  if (text == "closed") return SignupMode::closed;
  return std::nullopt;
}

core::Result<AuthResult> AuthService::signup(std::string_view email, std::string_view password,
                                             std::string_view name, std::string_view invite_code) {
  if (settings_.signup == SignupMode::closed) {
    return forbidden("signup_closed", "sign-up is closed on this server");
  }
  if (settings_.signup == SignupMode::invite && invite_code.empty()) {
    auto e = forbidden("invite_required", "sign-up needs an invite code (invite_code)");
    e.details = {{"field", "invite_code"}};
    return e;
  }
  auto normalized = core::normalize_email(email);
  if (!normalized) return normalized.error();
  if (auto st = core::check_password(password); !st) return st.error();
  auto clean_name = core::normalize_name(name);
  if (!clean_name) return clean_name.error();
  auto hash = auth::hash_password(password);
  if (!hash) return hash.error();
  const auto now = core::now();
  const bool with_invite = settings_.signup == SignupMode::invite;
  const auto code_hash = with_invite ? auth::sha256_hex(invite_code) : std::string{};
  // The invite is used in the transaction of the insert: a refused sign-up gives it back.
  auto user = store_.write_value([&](store::Writer& w) -> core::Result<core::User> {
    if (with_invite) {
      auto used = w.use_invite(code_hash, now);
      if (!used) return used.error();
      if (!*used) {
        auto e = forbidden("invite_invalid", "the invite code is unknown, used or expired");
        e.details = {{"field", "invite_code"}};
        return e;
      }
    }
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
  remember(*user);
  return AuthResult{jwt_.issue(user->id, now, user->token_generation), std::move(*user)};
}

core::Result<AuthResult> AuthService::login(std::string_view email, std::string_view password,
                                            std::string_view client) {
  auto normalized = core::normalize_email(email);
  const auto now = core::now();
  const std::string key = limiter_key(client, normalized ? *normalized : std::string{email});
  // Counted before the slow hash, atomically with the check: concurrent attempts cannot overrun.
  if (auto wait = limiter_.acquire(key, now)) return too_many(*wait);
  if (!normalized) return bad_credentials();
  auto found = store_.read_value([&](store::Reader& r) { return r.user_by_email(*normalized); });
  if (!found) {
    limiter_.release(key, now);
    return found.error();
  }
  const bool ok = *found ? auth::verify_password((*found)->password_hash, password)
                         : (auth::verify_password_dummy(password), false);
  if (!ok) return bad_credentials();
  limiter_.reset(key);
  auto user = std::move(**found);
  remember(user);
  if (user.disabled) return forbidden("account_disabled", "this account is disabled");
  return AuthResult{jwt_.issue(user.id, now, user.token_generation), std::move(user)};
}

core::Status AuthService::check_state(const auth::TokenClaims& claims, std::int64_t generation,
                                      bool disabled) const {
  if (disabled) return unauthorized("account_disabled", "this account is disabled");
  if (claims.generation != generation) {
    return unauthorized("token_revoked", "the token was revoked (password changed or signed out)");
  }
  return {};
}

core::Result<auth::TokenClaims> AuthService::claims(std::string_view token) const {
  return jwt_.verify_claims(token, core::now());
}

core::Result<core::UserId> AuthService::authenticate(std::string_view token) {
  auto c = claims(token);
  if (!c) return c.error();
  auto u = user(c->user);
  if (!u) {
    forget(c->user);
    return u.error();
  }
  remember(*u);
  if (auto st = check_state(*c, u->token_generation, u->disabled); !st) return st.error();
  return c->user;
}

std::optional<core::UserId> AuthService::authenticate_known(std::string_view token) {
  auto c = claims(token);
  if (!c) return std::nullopt;
  std::lock_guard lock{cache_mutex_};
  const auto it = cache_.find(c->user);
  if (it == cache_.end() ||
      std::chrono::steady_clock::now() - it->second.read_at >= settings_.user_cache_ttl) {
    return std::nullopt;
  }
  if (!check_state(*c, it->second.generation, it->second.disabled)) return std::nullopt;
  return c->user;
}

void AuthService::remember(const core::User& user) {
  std::lock_guard lock{cache_mutex_};
  if (cache_.size() >= k_max_cached_users && !cache_.contains(user.id)) cache_.clear();
  // A read that began before a revocation committed must not bring the old generation back.
  if (auto it = cache_.find(user.id);
      it != cache_.end() && it->second.generation > user.token_generation) {
    return;
  }
  cache_[user.id] = {user.token_generation, user.disabled, std::chrono::steady_clock::now()};
}

void AuthService::forget(core::UserId id) {
  std::lock_guard lock{cache_mutex_};
  cache_.erase(id);
}

core::Result<core::User> AuthService::user(core::UserId id) {
  auto found = store_.read_value([&](store::Reader& r) { return r.user_by_id(id); });
  if (!found) return found.error();
  if (!*found) return core::make_error(core::Errc::unauthorized, "the token's user does not exist");
  return std::move(**found);
}

core::Status AuthService::confirm_password(const core::User& user, std::string_view password,
                                           std::string_view client) {
  const auto key = limiter_key(client, user.email);
  if (auto wait = limiter_.acquire(key, core::now())) return too_many(*wait);
  if (!auth::verify_password(user.password_hash, password)) {
    auto e = forbidden("wrong_password", "the password is not right");
    e.details = {{"field", "password"}};
    return e;
  }
  limiter_.reset(key);
  return {};
}

core::Result<core::User> AuthService::revoke(core::UserId id,
                                             const std::function<void(core::User&)>& edit,
                                             bool api_tokens_too) {
  auto changed = store_.write_value([&](store::Writer& w) -> core::Result<core::User> {
    auto found = w.user_by_id(id);
    if (!found) return found.error();
    if (!*found) return core::make_error(core::Errc::not_found, "no such user");
    core::User u = **found;
    edit(u);
    ++u.token_generation;
    if (auto st = w.update_user(u); !st) return st.error();
    if (api_tokens_too) {
      if (auto st = TokenService::remove_all(w, u.id); !st) return st.error();
    }
    for (const auto& row : account_events(u.id, u.token_generation, false, core::now())) {
      if (auto appended = w.append_outbox(row); !appended) return appended.error();
    }
    return u;
  });
  if (!changed) return changed.error();
  remember(*changed);
  if (on_revoked_) on_revoked_(id);
  if (on_events_) on_events_();
  return changed;
}

core::Status AuthService::erase(core::UserId id) {
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    auto found = w.user_by_id(id);
    if (!found) return found.error();
    if (!*found) return core::make_error(core::Errc::not_found, "no such user");
    if (auto d = w.delete_user(id); !d) return d;
    const auto generation = (*found)->token_generation + 1;
    for (const auto& row : account_events(id, generation, true, core::now())) {
      if (auto appended = w.append_outbox(row); !appended) return appended.error();
    }
    return {};
  });
  if (!st) return st;
  forget(id);
  if (on_revoked_) on_revoked_(id);
  if (on_events_) on_events_();
  return {};
}

core::Result<AuthResult> AuthService::change_password(core::UserId id, std::string_view current,
                                                      std::string_view next,
                                                      std::string_view client) {
  if (auto st = core::check_password(next); !st) {
    auto e = st.error();
    e.details["field"] = std::string{"new_password"};
    return e;
  }
  auto u = user(id);
  if (!u) return u.error();
  if (auto st = confirm_password(*u, current, client); !st) {
    auto e = st.error();
    if (e.code == core::Errc::forbidden) e.details["field"] = std::string{"current_password"};
    return e;
  }
  auto hash = auth::hash_password(next);
  if (!hash) return hash.error();
  // The user's API tokens stay: they are managed in Settings, apart from the password.
  auto changed = revoke(
      id, [&](core::User& user) { user.password_hash = *hash; }, false);
  if (!changed) return changed.error();
  return AuthResult{jwt_.issue(changed->id, core::now(), changed->token_generation),
                    std::move(*changed)};
}

core::Status AuthService::delete_account(core::UserId id, std::string_view password,
                                         std::string_view client) {
  auto u = user(id);
  if (!u) return u.error();
  if (auto st = confirm_password(*u, password, client); !st) return st;
  return erase(id);
}

core::Result<std::vector<core::User>> AuthService::list_users() {
  return store_.read_value([](store::Reader& r) { return r.users(); });
}

core::Result<core::User> AuthService::find_user(std::string_view who) {
  core::UserId id = 0;
  const auto [ptr, ec] = std::from_chars(who.data(), who.data() + who.size(), id);
  const bool by_id = ec == std::errc{} && ptr == who.data() + who.size();
  auto email = by_id ? core::Result<std::string>{std::string{}} : core::normalize_email(who);
  if (!email) return email.error();
  auto found = store_.read_value(
      [&](store::Reader& r) { return by_id ? r.user_by_id(id) : r.user_by_email(*email); });
  if (!found) return found.error();
  if (!*found) {
    return core::make_error(core::Errc::not_found, "no user " + std::string{who});
  }
  return std::move(**found);
}

core::Result<core::User> AuthService::set_disabled(std::string_view who, bool disabled) {
  auto u = find_user(who);
  if (!u) return u.error();
  if (!disabled) {
    // Enabling revokes nothing: the tokens died when the account was disabled.
    auto changed = store_.write_value([&](store::Writer& w) -> core::Result<core::User> {
      // Read again in the transaction: a revocation committed since find_user must stay.
      auto now_found = w.user_by_id(u->id);
      if (!now_found) return now_found.error();
      if (!*now_found) return core::make_error(core::Errc::not_found, "no such user");
      core::User v = **now_found;
      v.disabled = false;
      if (auto st = w.update_user(v); !st) return st.error();
      return v;
    });
    if (changed) remember(*changed);
    return changed;
  }
  return revoke(
      u->id, [](core::User& user) { user.disabled = true; }, true);
}

core::Result<core::User> AuthService::reset_password(std::string_view who,
                                                     std::string_view password) {
  if (auto st = core::check_password(password); !st) return st.error();
  auto u = find_user(who);
  if (!u) return u.error();
  auto hash = auth::hash_password(password);
  if (!hash) return hash.error();
  return revoke(
      u->id, [&](core::User& user) { user.password_hash = *hash; }, true);
}

core::Result<core::User> AuthService::delete_user(std::string_view who) {
  auto u = find_user(who);
  if (!u) return u.error();
  if (auto st = erase(u->id); !st) return st.error();
  return u;
}

core::Result<std::string> AuthService::create_invite(std::chrono::seconds ttl) {
  unsigned char raw[18];
  randombytes_buf(raw, sizeof raw);
  auto code =
      auth::base64url_encode(std::string_view{reinterpret_cast<const char*>(raw), sizeof raw});
  const auto now = core::now();
  auto st = store_.write([&](store::Writer& w) {
    return w.insert_invite({auth::sha256_hex(code), now, now + ttl});
  });
  if (!st) return st.error();
  return code;
}

}  // namespace tickler::services::api
