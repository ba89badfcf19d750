// OAuthService: the token endpoint (authorization code, refresh), revocation, and the check of
// access tokens with its short cache.
#include "auth/digest.hpp"
#include "auth/jwt.hpp"
#include "services/api/oauth_service.hpp"

namespace tickler::services::api::oauth {
namespace {

constexpr std::string_view k_access_prefix = "tkl_oat_";
constexpr std::string_view k_refresh_prefix = "tkl_ort_";
constexpr std::size_t k_max_cached = 10'000;
constexpr auto k_touch_every = std::chrono::minutes{1};

core::Error invalid_token(std::string message) {
  auto e = core::make_error(core::Errc::unauthorized, std::move(message));
  e.code_name = "invalid_token";
  return e;
}

// A write that must commit and still answer an error (a reused code or refresh token: what
// it revokes stays revoked).
// (Not constructible from an Error, so a Result<Outcome> built from one is a failed write.)
struct Outcome {
  explicit Outcome(TokenAnswer a) : answer(std::move(a)) {}
  std::optional<core::Error> refused;
  TokenAnswer answer;
};

Outcome refuse(core::Error e) {
  Outcome o{TokenAnswer{}};
  o.refused = std::move(e);
  return o;
}

core::Result<TokenAnswer> answer_of(core::Result<Outcome> outcome) {
  if (!outcome) return outcome.error();
  if (outcome->refused) return *outcome->refused;
  return std::move(outcome->answer);
}

// invalid_grant unless the user exists and is enabled.
core::Status user_enabled(store::Reader& r, core::UserId user) {
  auto u = r.user_by_id(user);
  if (!u) return u.error();
  if (!*u || (*u)->disabled) return error("invalid_grant", "the account is disabled or gone");
  return {};
}

}  // namespace

core::Result<OAuthService::Client> OAuthService::authenticate_client(
    const Form& form, std::string_view authorization) {
  auto form_id = form_value(form, "client_id");
  std::optional<std::string> secret = form_value(form, "client_secret");
  std::string id;
  if (!authorization.empty()) {
    auto basic = basic_credentials(authorization);
    if (!basic) return client_error("the Authorization header is not valid Basic credentials");
    if (form_id && *form_id != basic->first) {
      return client_error("client_id differs from the Basic credentials");
    }
    if (secret) return error("invalid_request", "client credentials given twice");
    id = std::move(basic->first);
    secret = std::move(basic->second);
  } else if (form_id) {
    id = std::move(*form_id);
  } else {
    return client_error("client authentication is required (client_id)");
  }
  auto c = client(id, false);
  if (!c) return c.error();
  if (!c->row.secret_hash.empty()) {
    if (!secret || !auth::equal_constant_time(auth::sha256_hex(*secret), c->row.secret_hash)) {
      return client_error("the client secret is missing or wrong");
    }
  }
  return c;
}

core::Result<TokenAnswer> OAuthService::token(const Form& form, std::string_view authorization) {
  auto c = authenticate_client(form, authorization);
  if (!c) return c.error();
  const auto grant_type = form_value(form, "grant_type");
  if (!grant_type) return error("invalid_request", "grant_type is required");
  if (*grant_type == "authorization_code") return redeem_code(*c, form);
  if (*grant_type == "refresh_token") {
    if (!c->metadata.may_refresh()) {
      return error("unauthorized_client", "the client did not register the refresh_token grant");
    }
    return refresh(*c, form);
  }
  return error("unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
}

core::Result<TokenAnswer> OAuthService::issue(store::Writer& w, const Client& client,
                                              std::int64_t grant_id, const std::string& family,
                                              const std::string& scopes,
                                              const std::string& resource, core::Instant now) {
  TokenAnswer a{random_secret(k_access_prefix), {}, settings_.access_ttl.count(), scopes};
  using Kind = store::OAuthTokenKind;
  store::OAuthToken access{auth::sha256_hex(a.access_token),
                           Kind::access,
                           grant_id,
                           family,
                           scopes,
                           resource,
                           now,
                           now + settings_.access_ttl,
                           {}};
  if (auto st = w.insert_oauth_token(access); !st) return st.error();
  if (auto st = w.cap_oauth_tokens(grant_id, Kind::access, settings_.max_access_tokens_per_grant);
      !st) {
    return st.error();
  }
  if (client.metadata.may_refresh()) {
    a.refresh_token = random_secret(k_refresh_prefix);
    store::OAuthToken refresh{auth::sha256_hex(a.refresh_token),
                              Kind::refresh,
                              grant_id,
                              family,
                              scopes,
                              resource,
                              now,
                              now + settings_.refresh_ttl,
                              {}};
    if (auto st = w.insert_oauth_token(refresh); !st) return st.error();
    if (auto st =
            w.cap_oauth_tokens(grant_id, Kind::refresh, settings_.max_refresh_tokens_per_grant);
        !st) {
      return st.error();
    }
  }
  if (auto st = w.touch_oauth_grant(grant_id, now); !st) return st.error();
  return a;
}

core::Result<TokenAnswer> OAuthService::redeem_code(const Client& client, const Form& form) {
  const auto code = form_value(form, "code");
  const auto redirect_uri = form_value(form, "redirect_uri");
  const auto verifier = form_value(form, "code_verifier");
  if (!code || !redirect_uri || !verifier) {
    return error("invalid_request", "code, redirect_uri and code_verifier are required");
  }
  const auto resource = form_value(form, "resource");
  const auto hash = auth::sha256_hex(*code);
  const auto now = core::now();
  auto outcome = store_.write_value([&](store::Writer& w) -> core::Result<Outcome> {
    auto found = w.oauth_code(hash);
    if (!found) return found.error();
    const auto& c = *found;
    if (!c || c->client_id != client.row.client_id || c->expires_at <= now) {
      return refuse(error("invalid_grant", "the code is unknown or expired"));
    }
    if (c->redirect_uri != *redirect_uri) {
      return refuse(error("invalid_grant", "redirect_uri differs from the authorization request"));
    }
    if (!pkce_matches(*verifier, c->code_challenge)) {
      return refuse(error("invalid_grant", "code_verifier does not match the code_challenge"));
    }
    if (resource && canonical_resource(*resource) != canonical_resource(c->resource)) {
      return refuse(error("invalid_target", "resource differs from the authorization request"));
    }
    auto first_use = w.use_oauth_code(hash);
    if (!first_use) return first_use.error();
    if (!*first_use) {
      // Presented again: whatever it gave is taken back (RFC 6749 §4.1.2).
      if (auto st = w.delete_oauth_family(hash); !st) return st.error();
      return refuse(error("invalid_grant", "the code was used already"));
    }
    auto grant = w.oauth_grant(c->grant_id);
    if (!grant) return grant.error();
    if (!*grant || (*grant)->revoked_at) {
      return refuse(error("invalid_grant", "the grant was revoked"));
    }
    if (auto st = user_enabled(w, c->user_id); !st) return refuse(st.error());
    auto issued = issue(w, client, c->grant_id, hash, c->scopes, c->resource, now);
    if (!issued) return issued.error();
    return Outcome{std::move(*issued)};
  });
  return answer_of(std::move(outcome));
}

core::Result<TokenAnswer> OAuthService::refresh(const Client& client, const Form& form) {
  const auto token = form_value(form, "refresh_token");
  if (!token) return error("invalid_request", "refresh_token is required");
  const auto asked_scope = form_value(form, "scope");
  const auto resource = form_value(form, "resource");
  const auto hash = auth::sha256_hex(*token);
  const auto now = core::now();
  std::int64_t revoked_grant = 0;
  auto outcome = store_.write_value([&](store::Writer& w) -> core::Result<Outcome> {
    revoked_grant = 0;
    auto found = w.oauth_token(hash);
    if (!found) return found.error();
    const auto& t = *found;
    if (!t || t->token.kind != store::OAuthTokenKind::refresh ||
        t->grant.client_id != client.row.client_id || t->token.expires_at <= now) {
      return refuse(error("invalid_grant", "the refresh token is unknown or expired"));
    }
    auto rotated =
        t->token.rotated_at ? core::Result<bool>{false} : w.rotate_oauth_token(hash, now);
    if (!rotated) return rotated.error();
    if (!*rotated) {
      // A rotated refresh token came back: it leaked, so the whole grant ends.
      auto revoked = w.revoke_oauth_grant(t->grant.user_id, t->grant.id, now);
      if (!revoked) return revoked.error();
      revoked_grant = t->grant.id;
      return refuse(
          error("invalid_grant", "the refresh token was used already; the grant is revoked"));
    }
    if (resource && canonical_resource(*resource) != canonical_resource(t->token.resource)) {
      return refuse(error("invalid_target", "resource differs from the token's"));
    }
    if (auto st = user_enabled(w, t->grant.user_id); !st) return refuse(st.error());
    const auto had = scopes_of(t->token.scopes);
    auto scopes = had;
    if (asked_scope) {
      auto asked = parse_scopes(*asked_scope);
      if (!asked) return refuse(asked.error());
      if (!scopes_within(*asked, had)) {
        return refuse(error("invalid_scope", "a refresh cannot add scopes"));
      }
      scopes = std::move(*asked);
    }
    scopes = scope_intersection(scopes, scopes_of(t->grant.scopes));
    auto issued =
        issue(w, client, t->grant.id, t->token.family, join_scopes(scopes), t->token.resource, now);
    if (!issued) return issued.error();
    return Outcome{std::move(*issued)};
  });
  if (revoked_grant != 0) forget_grant(revoked_grant);
  return answer_of(std::move(outcome));
}

core::Status OAuthService::revoke(const Form& form, std::string_view authorization) {
  auto c = authenticate_client(form, authorization);
  if (!c) return c.error();
  const auto token = form_value(form, "token");
  if (!token) return error("invalid_request", "token is required");
  const auto hash = auth::sha256_hex(*token);
  const auto now = core::now();
  std::int64_t grant_id = 0;
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    grant_id = 0;
    auto found = w.oauth_token(hash);
    if (!found) return found.error();
    // Another client's token, or none: nothing to do, and nothing said (RFC 7009 §2.2).
    if (!*found || (*found)->grant.client_id != c->row.client_id) return {};
    const auto& t = **found;
    grant_id = t.grant.id;
    if (t.token.kind == store::OAuthTokenKind::access) {
      auto deleted = w.delete_oauth_token(hash);
      if (!deleted) return deleted.error();
      return {};
    }
    // A refresh token stands for the grant: every token under it goes (RFC 7009 §2.1).
    auto revoked = w.revoke_oauth_grant(t.grant.user_id, t.grant.id, now);
    if (!revoked) return revoked.error();
    return {};
  });
  if (!st) return st;
  if (grant_id != 0) forget_grant(grant_id);
  return {};
}

std::optional<OAuthAccess> OAuthService::authenticate_cached(std::string_view token) {
  const auto hash = auth::sha256_hex(token);
  std::lock_guard lock{cache_mutex_};
  const auto it = cache_.find(hash);
  if (it == cache_.end()) return std::nullopt;
  if (std::chrono::steady_clock::now() - it->second.read_at > settings_.token_cache_ttl ||
      it->second.expires_at <= core::now()) {
    cache_.erase(it);
    return std::nullopt;
  }
  return it->second.access;
}

core::Result<OAuthAccess> OAuthService::authenticate(std::string_view token) {
  if (!token.starts_with(k_access_prefix)) return invalid_token("not an OAuth access token");
  if (auto cached = authenticate_cached(token)) return *cached;
  const auto hash = auth::sha256_hex(token);
  const auto now = core::now();
  struct Found {
    std::optional<store::OAuthTokenGrant> token;
    std::optional<core::User> user;
  };
  auto found = store_.read_value([&](store::Reader& r) -> core::Result<Found> {
    auto t = r.oauth_token(hash);
    if (!t) return t.error();
    if (!*t) return Found{};
    auto u = r.user_by_id((*t)->grant.user_id);
    if (!u) return u.error();
    return Found{std::move(*t), std::move(*u)};
  });
  if (!found) return found.error();
  const auto& t = found->token;
  if (!t || t->token.kind != store::OAuthTokenKind::access || t->token.expires_at <= now ||
      t->grant.revoked_at) {
    return invalid_token("the access token is unknown, expired or revoked");
  }
  if (!found->user || found->user->disabled) {
    return invalid_token("the access token's account is disabled or gone");
  }
  OAuthAccess access{
      t->grant.user_id, scope_intersection(scopes_of(t->token.scopes), scopes_of(t->grant.scopes)),
      "mcp:" + display_name(stored_metadata(t->client.metadata), t->client.client_id),
      t->token.resource, t->grant.id};
  if (!t->grant.last_used_at || now - *t->grant.last_used_at > k_touch_every) {
    (void)store_.write([&](store::Writer& w) { return w.touch_oauth_grant(t->grant.id, now); });
  }
  std::lock_guard lock{cache_mutex_};
  if (cache_.size() >= k_max_cached) cache_.clear();
  cache_[hash] = Cached{access, t->token.expires_at, std::chrono::steady_clock::now()};
  return access;
}

void OAuthService::forget_grant(std::int64_t grant_id) {
  std::lock_guard lock{cache_mutex_};
  std::erase_if(cache_,
                [&](const auto& entry) { return entry.second.access.grant_id == grant_id; });
}

}  // namespace tickler::services::api::oauth
