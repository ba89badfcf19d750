#pragma once
// The OAuth area of the Store: what the authorization server keeps (services/api/oauth_*) —
// registered clients, authorization codes, grants (a user's consent to a client) and the access
// and refresh tokens issued under them; their rows and their Reader and Writer (see store.hpp).
// Secrets are never stored: codes and tokens by their SHA-256 (hex), client secrets likewise.
// A grant's codes and tokens go with it; a user's grants and codes go with the user.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::store {

// A client: registered dynamically (RFC 7591) or known by its metadata document (an https URL
// as client_id).
struct OAuthClient {
  std::string client_id;
  std::string metadata;     // JSON object: client_name, redirect_uris, grant_types, …
  std::string secret_hash;  // SHA-256 (hex) of the client secret; empty: a public client
  core::Instant created_at{};
  std::optional<core::Instant> granted_at;  // first consent; a client never granted expires
  std::optional<core::Instant> fetched_at;  // a metadata document's client: when it was read
};

// An authorization code, redeemable once before expires_at.
struct OAuthCode {
  std::string code_hash;
  std::string client_id;
  core::UserId user_id = 0;
  std::int64_t grant_id = 0;
  std::string redirect_uri;
  std::string code_challenge;  // PKCE S256
  std::string scopes;          // space-separated
  std::string resource;        // RFC 8707: the resource the tokens will be for
  core::Instant created_at{};
  core::Instant expires_at{};
  bool used = false;
};

// A user's consent to a client: one per (user, client); revoking it ends every token under it.
struct OAuthGrant {
  std::int64_t id = 0;
  core::UserId user_id = 0;
  std::string client_id;
  std::string scopes;  // space-separated
  core::Instant created_at{};
  std::optional<core::Instant> last_used_at;
  std::optional<core::Instant> revoked_at;
};

enum class OAuthTokenKind : std::uint8_t { access, refresh };

// An access or refresh token. A family is the chain of tokens one code started (the code's
// hash): they go together when the code is presented again.
struct OAuthToken {
  std::string token_hash;
  OAuthTokenKind kind = OAuthTokenKind::access;
  std::int64_t grant_id = 0;
  std::string family;
  std::string scopes;    // space-separated, at most the grant's
  std::string resource;  // the audience
  core::Instant created_at{};
  core::Instant expires_at{};
  std::optional<core::Instant> rotated_at;  // a refresh token already exchanged
};

// A token with its grant and client (how a presented token is checked).
struct OAuthTokenGrant {
  OAuthToken token;
  OAuthGrant grant;
  OAuthClient client;
};

// A grant with its client (the user's list of connected apps).
struct OAuthGrantEntry {
  OAuthGrant grant;
  OAuthClient client;
};

// Clients, codes, grants and tokens of one transaction's snapshot.
class OAuthReader {
 public:
  virtual ~OAuthReader() = default;
  virtual core::Result<std::optional<OAuthClient>> oauth_client(std::string_view client_id) = 0;
  // How many clients were never granted (what the registration cap counts).
  virtual core::Result<std::int64_t> oauth_ungranted_clients() = 0;
  virtual core::Result<std::optional<OAuthCode>> oauth_code(std::string_view code_hash) = 0;
  virtual core::Result<std::optional<OAuthGrant>> oauth_grant(std::int64_t id) = 0;
  virtual core::Result<std::optional<OAuthGrant>> oauth_grant_of(core::UserId user,
                                                                 std::string_view client_id) = 0;
  // A user's grants that are not revoked, with their clients, newest first.
  virtual core::Result<std::vector<OAuthGrantEntry>> oauth_grants(core::UserId user) = 0;
  virtual core::Result<std::optional<OAuthTokenGrant>> oauth_token(std::string_view token_hash) = 0;
};

// Clients, codes, grants and tokens changed in a write transaction (which can read them too).
class OAuthWriter : public virtual OAuthReader {
 public:
  // Inserts the client, or replaces the metadata, secret hash and fetched_at of an existing one
  // (keeping created_at and granted_at).
  virtual core::Status put_oauth_client(const OAuthClient& client) = 0;
  virtual core::Status insert_oauth_code(const OAuthCode& code) = 0;
  // Marks an unused code used; false when it is missing or was used already.
  virtual core::Result<bool> use_oauth_code(std::string_view code_hash) = 0;
  // Keeps a user's `keep` newest unused codes and deletes their older ones.
  virtual core::Status cap_oauth_codes(core::UserId user, int keep) = 0;
  // The user's grant of the client, created, or renewed with these scopes (a revoked one starts
  // again at `at`); the client's granted_at is set when it has none.
  virtual core::Result<OAuthGrant> grant_oauth(core::UserId user, std::string_view client_id,
                                               std::string_view scopes, core::Instant at) = 0;
  // Marks the user's grant revoked at `at` and deletes its codes and tokens; false when the user
  // has no such grant not revoked.
  virtual core::Result<bool> revoke_oauth_grant(core::UserId user, std::int64_t grant_id,
                                                core::Instant at) = 0;
  virtual core::Status touch_oauth_grant(std::int64_t grant_id, core::Instant at) = 0;
  virtual core::Status insert_oauth_token(const OAuthToken& token) = 0;
  // Marks a refresh token exchanged; false when it is missing or was exchanged already.
  virtual core::Result<bool> rotate_oauth_token(std::string_view token_hash, core::Instant at) = 0;
  // false when there was no such token.
  virtual core::Result<bool> delete_oauth_token(std::string_view token_hash) = 0;
  virtual core::Status delete_oauth_family(std::string_view family) = 0;
  // Keeps the grant's `keep` newest tokens of this kind and deletes the older ones.
  virtual core::Status cap_oauth_tokens(std::int64_t grant_id, OAuthTokenKind kind, int keep) = 0;
  // Deletes codes and tokens expired by `now`, and clients never granted that were created
  // before `stale_before`. Returns how many rows went.
  virtual core::Result<int> purge_oauth(core::Instant now, core::Instant stale_before) = 0;
};

}  // namespace tickler::store
