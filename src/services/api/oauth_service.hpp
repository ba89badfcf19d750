#pragma once
// The OAuth 2.1 authorization server of the MCP endpoint (docs/mcp.md, "Authorization"): client
// registration (RFC 7591) and clients known by their metadata document, the authorization
// request and the user's consent, the token endpoint (authorization code with PKCE S256,
// refresh tokens rotated on every use; reuse of a rotated one revokes the grant), revocation
// (RFC 7009), the check of access tokens, and the user's list of granted clients. Blocking
// (store, document fetches): run through base::Offload. Errors are core::Error with the OAuth
// error code as code_name (oauth_rules.hpp); the handlers (oauth_handlers.cpp) answer them.
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "services/api/login_limiter.hpp"
#include "services/api/oauth_clients.hpp"
#include "services/api/oauth_request.hpp"
#include "store/store.hpp"

namespace tickler::services::api::oauth {

struct OAuthSettings {
  // The server's public origin ("https://tickler.example.com"), the issuer and the base of the
  // resource <public_url>/mcp; empty: taken from each request's Host (local use).
  std::string public_url;
  std::string signing_key;  // seals authorization requests (derived from the JWT secret)
  std::chrono::seconds access_ttl{3600};
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};
  std::chrono::seconds code_ttl{60};
  std::chrono::seconds request_ttl{600};             // the consent page's time
  std::chrono::seconds ungranted_client_ttl{86400};  // a client never granted is deleted after
  std::chrono::seconds document_ttl{3600};           // a metadata document is fetched again after
  std::int64_t max_ungranted_clients = 10'000;
  int registrations_per_hour = 30;  // per client address
  int max_grants_per_user = 100;
  int max_codes_per_user = 20;
  int max_access_tokens_per_grant = 10;
  int max_refresh_tokens_per_grant = 20;
  std::chrono::milliseconds token_cache_ttl{1000};  // other replicas see a revocation within this
};

// What a valid access token stands for.
struct OAuthAccess {
  core::UserId user = 0;
  Scopes scopes;
  std::string actor;     // "mcp:<client name>"
  std::string audience;  // the resource the token was issued for
  std::int64_t grant_id = 0;
};

// A token endpoint's answer (RFC 6749 §5.1).
struct TokenAnswer {
  std::string access_token;
  std::string refresh_token;  // empty: none issued
  std::int64_t expires_in = 0;
  std::string scope;
};

// What the consent page shows.
struct ConsentView {
  std::string client_id;
  std::string client_name;
  std::string client_uri;
  std::string redirect_uri;
  std::string redirect_host;
  bool loopback = false;           // the app receives the code on this computer
  bool metadata_document = false;  // known by its metadata document (client_id is its URL)
  Scopes scopes;
  std::string resource;
};

// GET <url> of a client's metadata document: its body, bounded in size and time, through the
// outbound-destination policy; unavailable or invalid_parameter with a reason otherwise.
using DocumentFetcher = std::function<core::Result<std::string>(const std::string& url)>;

class OAuthService {
 public:
  OAuthService(OAuthSettings settings, store::Store& store, DocumentFetcher fetch = {});

  // The issuer (and the base of every endpoint) for a request with this Host header:
  // public_url when set; invalid_request for an unusable Host.
  [[nodiscard]] core::Result<std::string> base_url(std::string_view host) const;
  [[nodiscard]] bool supports_metadata_documents() const { return static_cast<bool>(fetch_); }

  // POST /oauth/register: the client information (RFC 7591 §3.2.1); too_many_requests when
  // the address registered too often or too many clients wait for a first consent.
  core::Result<boost::json::object> register_client(const boost::json::object& body,
                                                    std::string_view client_address);
  // GET /oauth/authorize: where the browser goes next — the consent page with the sealed
  // request, or the client's redirect URI with an error (RFC 6749 §4.1.2.1). An error result
  // must not redirect: the client or the redirect URI is unknown.
  core::Result<std::string> authorize(const Form& query, std::string_view base);
  // The consent page's view of a sealed request.
  core::Result<ConsentView> describe(std::string_view sealed);
  // The user's answer: the client's redirect URI with a code (approve) or access_denied.
  core::Result<std::string> decide(core::UserId user, std::string_view sealed, bool approve);

  // POST /oauth/token; `authorization` is the request's Authorization header.
  core::Result<TokenAnswer> token(const Form& form, std::string_view authorization);
  // POST /oauth/revoke (RFC 7009): success for an unknown token too.
  core::Status revoke(const Form& form, std::string_view authorization);
  // A tkl_oat_ token: its user (enabled), scopes, actor and audience; unauthorized
  // (invalid_token) otherwise. Revocation here is seen at once, elsewhere within the cache TTL.
  core::Result<OAuthAccess> authenticate(std::string_view token);
  // The cached answer for a token checked within the cache TTL; nullopt: ask authenticate.
  [[nodiscard]] std::optional<OAuthAccess> authenticate_cached(std::string_view token);

  // The user's granted clients, and revoking one (not_found when it is not theirs).
  core::Result<std::vector<store::OAuthGrantEntry>> grants(core::UserId user);
  core::Status revoke_grant(core::UserId user, std::int64_t grant_id);
  // Deletes what expired and clients never granted; returns how many rows went.
  core::Result<int> purge(core::Instant now);

 private:
  struct Client {
    store::OAuthClient row;
    ClientMetadata metadata;
  };
  struct Cached {
    OAuthAccess access;
    core::Instant expires_at{};
    std::chrono::steady_clock::time_point read_at;
  };
  // A registered client, or one known by its metadata document (fetched when new or stale).
  core::Result<Client> client(std::string_view client_id, bool fetch_document);
  core::Result<Client> authenticate_client(const Form& form, std::string_view authorization);
  core::Result<TokenAnswer> redeem_code(const Client& client, const Form& form);
  core::Result<TokenAnswer> refresh(const Client& client, const Form& form);
  // Inserts a new access (and refresh) token under the grant and trims the grant's tokens.
  core::Result<TokenAnswer> issue(store::Writer& w, const Client& client, std::int64_t grant_id,
                                  const std::string& family, const std::string& scopes,
                                  const std::string& resource, core::Instant now);
  void forget_grant(std::int64_t grant_id);

  OAuthSettings settings_;
  store::Store& store_;
  DocumentFetcher fetch_;
  LoginLimiter registrations_;
  std::mutex cache_mutex_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash
};

}  // namespace tickler::services::api::oauth
