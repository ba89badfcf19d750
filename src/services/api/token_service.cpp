#include "services/api/token_service.hpp"

#include <sodium.h>

#include <algorithm>

#include "auth/digest.hpp"
#include "auth/jwt.hpp"
#include "base/log.hpp"
#include "core/validation.hpp"

namespace tickler::services::api {
namespace {

constexpr std::size_t k_secret_bytes = 32;
constexpr std::size_t k_shown_prefix_chars = 12;
constexpr std::size_t k_max_cached_tokens = 100'000;

core::Error invalid_token() {
  return core::make_error(core::Errc::unauthorized, "the API token is unknown or was revoked");
}

core::Error unauthorized(std::string code, std::string message) {
  auto e = core::make_error(core::Errc::unauthorized, std::move(message));
  e.code_name = std::move(code);
  return e;
}

// tkl_pat_ and the base64url text of at least 32 bytes: anything else is not worth a lookup.
bool well_formed(std::string_view token) {
  if (!TokenService::is_personal_token(token)) return false;
  const auto body = token.substr(k_personal_token_prefix.size());
  return body.size() >= 43 && body.size() <= 128 &&
         std::all_of(body.begin(), body.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

// The scopes asked for, as stored: known ones only, write implying read, in a fixed order.
core::Result<std::vector<std::string>> normalize_scopes(const std::vector<std::string>& scopes) {
  if (scopes.empty()) {
    return core::field_error("scopes", "must hold at least one of tasks:read, tasks:write");
  }
  bool read = false;
  bool write = false;
  for (const auto& s : scopes) {
    if (s == k_scope_tasks_read) {
      read = true;
    } else if (s == k_scope_tasks_write) {
      write = true;
    } else {
      auto e = core::field_error(
          "scopes", "unknown scope \"" + s.substr(0, 40) + "\" (known: tasks:read, tasks:write)");
      return e;
    }
  }
  std::vector<std::string> out;
  if (read || write) out.emplace_back(k_scope_tasks_read);
  if (write) out.emplace_back(k_scope_tasks_write);
  return out;
}

bool expired(const store::ApiToken& t, core::Instant now) {
  return t.expires_at && *t.expires_at <= now;
}

bool needs_touch(const store::ApiToken& t, core::Instant now, std::chrono::seconds interval) {
  return !t.last_used_at || now - *t.last_used_at >= interval;
}

}  // namespace

core::Result<NewToken> TokenService::create(core::UserId user, TokenRequest request) {
  auto name = core::normalize_name(request.name);
  if (!name) return name.error();
  if (name->empty()) return core::field_error("name", "must be 1 to 100 characters after trimming");
  auto scopes = normalize_scopes(request.scopes);
  if (!scopes) return scopes.error();
  if (request.expires_in_days &&
      (*request.expires_in_days < 1 || *request.expires_in_days > settings_.max_expires_in_days)) {
    return core::field_error("expires_in_days", "must be 1 to " +
                                                    std::to_string(settings_.max_expires_in_days) +
                                                    " (or left out: never expires)");
  }
  unsigned char raw[k_secret_bytes];
  randombytes_buf(raw, sizeof raw);
  NewToken made;
  made.secret =
      std::string{k_personal_token_prefix} +
      auth::base64url_encode(std::string_view{reinterpret_cast<const char*>(raw), sizeof raw});
  sodium_memzero(raw, sizeof raw);
  const auto now = core::now();
  store::ApiToken row;
  row.user_id = user;
  row.name = std::move(*name);
  row.token_hash = auth::sha256_hex(made.secret);
  row.prefix = made.secret.substr(0, k_shown_prefix_chars);
  row.scopes = std::move(*scopes);
  row.created_at = now;
  if (request.expires_in_days) row.expires_at = now + std::chrono::days{*request.expires_in_days};
  auto inserted = store_.write_value([&](store::Writer& w) -> core::Result<store::ApiToken> {
    auto n = w.count_api_tokens(user);
    if (!n) return n.error();
    if (*n >= settings_.max_per_user) {
      auto e = core::make_error(
          core::Errc::conflict,
          "you have " + std::to_string(*n) + " API tokens, the most allowed: delete one first",
          {{"max", settings_.max_per_user}});
      e.code_name = "too_many_tokens";
      return e;
    }
    return w.insert_api_token(row);
  });
  if (!inserted) return inserted.error();
  made.token = std::move(*inserted);
  return made;
}

core::Result<std::vector<store::ApiToken>> TokenService::list(core::UserId user) {
  return store_.read_value([&](store::Reader& r) { return r.api_tokens(user); });
}

core::Status TokenService::remove(core::UserId user, std::int64_t id) {
  std::optional<std::string> hash;
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    hash.reset();
    auto mine = w.api_tokens(user);
    if (!mine) return mine.error();
    const auto it = std::find_if(mine->begin(), mine->end(), [&](auto& t) { return t.id == id; });
    if (it == mine->end()) return core::make_error(core::Errc::not_found, "no such API token");
    hash = it->token_hash;
    auto deleted = w.delete_api_token(user, id);
    if (!deleted) return deleted.error();
    return {};
  });
  if (!st) return st;
  std::lock_guard lock{mutex_};
  ++epoch_;
  if (hash) cache_.erase(*hash);
  return {};
}

core::Status TokenService::remove_all(store::Writer& w, core::UserId user) {
  auto n = w.delete_api_tokens(user);
  if (!n) return n.error();
  return {};
}

void TokenService::forget_user(core::UserId user) {
  std::lock_guard lock{mutex_};
  ++epoch_;
  std::erase_if(cache_, [&](const auto& entry) { return entry.second.token.user_id == user; });
}

std::uint64_t TokenService::epoch() const {
  std::lock_guard lock{mutex_};
  return epoch_;
}

void TokenService::remember(const std::string& hash, const store::ApiToken& token,
                            std::uint64_t seen_epoch) {
  std::lock_guard lock{mutex_};
  if (epoch_ != seen_epoch) return;  // a deletion since the read: it must not come back
  if (cache_.size() >= k_max_cached_tokens && !cache_.contains(hash)) cache_.clear();
  cache_[hash] = {token, std::chrono::steady_clock::now()};
}

std::optional<store::ApiToken> TokenService::authenticate_known(std::string_view token) {
  if (!well_formed(token)) return std::nullopt;
  const auto hash = auth::sha256_hex(token);
  const auto now = core::now();
  std::lock_guard lock{mutex_};
  const auto it = cache_.find(hash);
  if (it == cache_.end() ||
      std::chrono::steady_clock::now() - it->second.read_at >= settings_.cache_ttl ||
      expired(it->second.token, now) ||
      needs_touch(it->second.token, now, settings_.touch_interval)) {
    return std::nullopt;
  }
  return it->second.token;
}

core::Result<store::ApiToken> TokenService::authenticate(std::string_view token) {
  if (!well_formed(token)) return invalid_token();
  const auto hash = auth::sha256_hex(token);
  const auto seen_epoch = epoch();
  struct Found {
    std::optional<store::ApiToken> token;
    bool user_enabled = false;
  };
  auto found = store_.read_value([&](store::Reader& r) -> core::Result<Found> {
    auto t = r.api_token_by_hash(hash);
    if (!t) return t.error();
    if (!*t) return Found{};
    auto u = r.user_by_id((*t)->user_id);
    if (!u) return u.error();
    return Found{std::move(*t), *u && !(*u)->disabled};
  });
  if (!found) return found.error();
  if (!found->token) return invalid_token();
  auto row = std::move(*found->token);
  if (!found->user_enabled) return unauthorized("account_disabled", "this account is disabled");
  const auto now = core::now();
  if (expired(row, now)) {
    return unauthorized("token_expired", "the API token expired; make a new one in Settings");
  }
  if (needs_touch(row, now, settings_.touch_interval)) {
    // Best effort: a failed write of the last use must not refuse a valid token.
    auto st = store_.write([&](store::Writer& w) { return w.touch_api_token(row.id, now); });
    if (st) {
      row.last_used_at = now;
    } else {
      base::log_json(spdlog::level::warn, "api token last use not written",
                     {{"token_id", row.id}, {"error", st.error().message}});
    }
  }
  remember(hash, row, seen_epoch);
  return row;
}

}  // namespace tickler::services::api
