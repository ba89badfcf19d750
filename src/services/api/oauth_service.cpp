// OAuthService: clients (registration, metadata documents), the authorization request and the
// user's consent, granted clients. Tokens: oauth_tokens.cpp.
#include "services/api/oauth_service.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/digest.hpp"

namespace tickler::services::api::oauth {
namespace {

namespace json = boost::json;

core::Error too_many(std::string message, std::int64_t retry_after) {
  auto e = core::make_error(core::Errc::too_many_requests, std::move(message),
                            {{"retry_after", retry_after}});
  e.code_name = "temporarily_unavailable";
  return e;
}

// A Host header fit to build URLs from: a name or address and an optional port.
bool sane_host(std::string_view host) {
  return !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
           c == '[' || c == ']' || c == '_';
  });
}

}  // namespace

OAuthService::OAuthService(OAuthSettings settings, store::Store& store, DocumentFetcher fetch)
    : settings_(std::move(settings)),
      store_(store),
      fetch_(std::move(fetch)),
      registrations_({settings_.registrations_per_hour, std::chrono::hours{1}, 100'000}) {
  while (!settings_.public_url.empty() && settings_.public_url.back() == '/') {
    settings_.public_url.pop_back();
  }
}

core::Result<std::string> OAuthService::base_url(std::string_view host) const {
  if (!settings_.public_url.empty()) return settings_.public_url;
  if (!sane_host(host)) return error("invalid_request", "the request has no usable Host header");
  return "http://" + std::string{host};
}

core::Result<json::object> OAuthService::register_client(const json::object& body,
                                                         std::string_view client_address) {
  auto metadata = registration_metadata(body);
  if (!metadata) return metadata.error();
  const auto now = core::now();
  if (auto wait = registrations_.acquire("register|" + std::string{client_address}, now)) {
    return too_many("too many client registrations from this address; try again later",
                    wait->count());
  }
  const bool confidential = !metadata->is_public();
  const auto secret = confidential ? random_secret() : std::string{};
  store::OAuthClient row{random_secret().substr(0, 24),
                         json::serialize(to_json(*metadata)),
                         confidential ? auth::sha256_hex(secret) : std::string{},
                         now,
                         {},
                         {}};
  const auto max_waiting = settings_.max_ungranted_clients;
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    auto waiting = w.oauth_ungranted_clients();
    if (!waiting) return waiting.error();
    if (*waiting >= max_waiting) {
      return too_many("too many clients are waiting for their first consent; try again later",
                      3600);
    }
    return w.put_oauth_client(row);
  });
  if (!st) return st.error();
  auto answer = to_json(*metadata);
  answer["client_id"] = row.client_id;
  answer["client_id_issued_at"] = core::to_millis(now) / 1000;
  if (confidential) {
    answer["client_secret"] = secret;
    answer["client_secret_expires_at"] = 0;
  }
  return answer;
}

core::Result<OAuthService::Client> OAuthService::client(std::string_view client_id,
                                                        bool fetch_document) {
  if (client_id.empty() || client_id.size() > 2000) {
    return client_error("unknown client_id");
  }
  auto row = store_.read_value([&](store::Reader& r) { return r.oauth_client(client_id); });
  if (!row) return row.error();
  const bool document = is_metadata_document_url(client_id);
  const auto now = core::now();
  const bool fresh =
      *row &&
      (!document || ((*row)->fetched_at && now - *(*row)->fetched_at < settings_.document_ttl));
  if (fresh || (*row && !fetch_document)) {
    return Client{**row, stored_metadata((*row)->metadata)};
  }
  if (!document) return client_error("unknown client_id");
  if (!fetch_) return client_error("this server does not read client metadata documents");
  auto body = fetch_(std::string{client_id});
  if (!body) {
    return client_error("the client's metadata document could not be read: " +
                        body.error().message);
  }
  boost::system::error_code ec;
  auto doc = json::parse(*body, ec);
  if (ec || !doc.is_object()) {
    return client_error("the client's metadata document is not a JSON object");
  }
  auto metadata = document_metadata(doc.as_object(), client_id);
  if (!metadata) return metadata.error();
  store::OAuthClient fetched{std::string{client_id},
                             json::serialize(to_json(*metadata)),
                             "",
                             *row ? (*row)->created_at : now,
                             {},
                             now};
  const auto max_waiting = settings_.max_ungranted_clients;
  const bool known = row->has_value();
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    if (!known) {
      auto waiting = w.oauth_ungranted_clients();
      if (!waiting) return waiting.error();
      if (*waiting >= max_waiting) {
        return too_many("too many clients are waiting for their first consent", 3600);
      }
    }
    return w.put_oauth_client(fetched);
  });
  if (!st) return st.error();
  return Client{std::move(fetched), std::move(*metadata)};
}

core::Result<std::string> OAuthService::authorize(const Form& query, std::string_view base) {
  for (auto it = query.begin(); it != query.end(); ++it) {
    if (std::any_of(std::next(it), query.end(),
                    [&](const auto& p) { return p.first == it->first; })) {
      return error("invalid_request", "parameter " + it->first.substr(0, 64) + " given twice");
    }
  }
  const auto client_id = form_value(query, "client_id").value_or("");
  auto c = client(client_id, true);
  if (!c) return c.error();
  auto redirect_uri = form_value(query, "redirect_uri");
  if (!redirect_uri) {
    if (c->metadata.redirect_uris.size() != 1) {
      return error("invalid_request", "redirect_uri is required");
    }
    redirect_uri = c->metadata.redirect_uris.front();
  }
  if (!redirect_uri_matches(*redirect_uri, c->metadata.redirect_uris)) {
    return error("invalid_request", "redirect_uri is not one the client registered");
  }
  // From here on, errors go back to the client.
  const auto state = form_value(query, "state");
  const auto back = [&](std::string_view code, std::string description) {
    std::vector<std::pair<std::string, std::string>> params{
        {"error", std::string{code}}, {"error_description", std::move(description)}};
    if (state) params.emplace_back("state", *state);
    params.emplace_back("iss", std::string{base});
    return with_query(*redirect_uri, params);
  };
  if (form_value(query, "response_type") != "code") {
    return back("unsupported_response_type", "response_type must be code");
  }
  if (state && state->size() > 1024) return back("invalid_request", "state is too long");
  const auto challenge = form_value(query, "code_challenge").value_or("");
  if (challenge.empty()) return back("invalid_request", "PKCE is required (code_challenge)");
  if (form_value(query, "code_challenge_method") != "S256") {
    return back("invalid_request", "code_challenge_method must be S256");
  }
  if (!valid_code_challenge(challenge)) {
    return back("invalid_request", "code_challenge is not a S256 challenge");
  }
  const auto resource = std::string{base} + "/mcp";
  if (auto asked = form_value(query, "resource")) {
    if (canonical_resource(*asked) != canonical_resource(resource)) {
      return back("invalid_target", "resource must be " + resource);
    }
  }
  auto scopes = parse_scopes(form_value(query, "scope").value_or(""));
  if (!scopes) return back("invalid_scope", scopes.error().message);
  if (scopes->empty()) {
    scopes = c->metadata.scopes.empty() ? *parse_scopes(k_all_scopes) : c->metadata.scopes;
  }
  if (!c->metadata.scopes.empty() && !scopes_within(*scopes, c->metadata.scopes)) {
    return back("invalid_scope", "the client did not register every scope it asks for");
  }
  const AuthorizationRequest request{std::string{client_id}, *redirect_uri,
                                     state.value_or(""),     challenge,
                                     join_scopes(*scopes),   resource,
                                     std::string{base},      core::now() + settings_.request_ttl};
  return with_query(std::string{base} + "/oauth/consent",
                    {{"request", seal(request, settings_.signing_key)}});
}

core::Result<ConsentView> OAuthService::describe(std::string_view sealed) {
  auto r = unseal(sealed, settings_.signing_key, core::now());
  if (!r) return r.error();
  auto c = client(r->client_id, false);
  if (!c) return c.error();
  ConsentView v;
  v.client_id = r->client_id;
  v.client_name = display_name(c->metadata, r->client_id);
  v.client_uri = c->metadata.client_uri;
  v.redirect_uri = r->redirect_uri;
  v.redirect_host = uri_host(r->redirect_uri);
  v.loopback = is_loopback_host(v.redirect_host);
  v.metadata_document = is_metadata_document_url(r->client_id);
  v.scopes = scopes_of(r->scopes);
  v.resource = r->resource;
  return v;
}

core::Result<std::string> OAuthService::decide(core::UserId user, std::string_view sealed,
                                               bool approve) {
  auto r = unseal(sealed, settings_.signing_key, core::now());
  if (!r) return r.error();
  auto c = client(r->client_id, false);
  if (!c) return c.error();
  std::vector<std::pair<std::string, std::string>> params;
  if (!approve) {
    params = {{"error", "access_denied"}, {"error_description", "the user denied access"}};
  } else {
    const auto requested = scopes_of(r->scopes);
    const auto code = random_secret();
    const auto now = core::now();
    const auto max_grants = static_cast<std::size_t>(settings_.max_grants_per_user);
    auto st = store_.write([&](store::Writer& w) -> core::Status {
      auto existing = w.oauth_grant_of(user, r->client_id);
      if (!existing) return existing.error();
      const bool active = *existing && !(*existing)->revoked_at;
      if (!active) {
        auto all = w.oauth_grants(user);
        if (!all) return all.error();
        if (all->size() >= max_grants) {
          auto e = core::make_error(core::Errc::conflict,
                                    "too many connected apps; disconnect one first");
          e.code_name = "too_many_grants";
          return e;
        }
      }
      const auto had = active ? scopes_of((*existing)->scopes) : Scopes{};
      auto grant = w.grant_oauth(user, r->client_id, join_scopes(scope_union(had, requested)), now);
      if (!grant) return grant.error();
      store::OAuthCode row{auth::sha256_hex(code),
                           r->client_id,
                           user,
                           grant->id,
                           r->redirect_uri,
                           r->code_challenge,
                           r->scopes,
                           r->resource,
                           now,
                           now + settings_.code_ttl,
                           false};
      if (auto ins = w.insert_oauth_code(row); !ins) return ins;
      return w.cap_oauth_codes(user, settings_.max_codes_per_user);
    });
    if (!st) return st.error();
    params = {{"code", code}};
  }
  if (!r->state.empty()) params.emplace_back("state", r->state);
  params.emplace_back("iss", r->issuer);
  return with_query(r->redirect_uri, params);
}

core::Result<std::vector<store::OAuthGrantEntry>> OAuthService::grants(core::UserId user) {
  return store_.read_value([&](store::Reader& r) { return r.oauth_grants(user); });
}

core::Status OAuthService::revoke_grant(core::UserId user, std::int64_t grant_id) {
  const auto now = core::now();
  auto revoked = store_.write_value(
      [&](store::Writer& w) { return w.revoke_oauth_grant(user, grant_id, now); });
  if (!revoked) return revoked.error();
  forget_grant(grant_id);
  if (!*revoked) return core::make_error(core::Errc::not_found, "no such connected app");
  return {};
}

core::Result<int> OAuthService::purge(core::Instant now) {
  const auto stale_before = now - settings_.ungranted_client_ttl;
  return store_.write_value([&](store::Writer& w) { return w.purge_oauth(now, stale_before); });
}

}  // namespace tickler::services::api::oauth
