// PgTx: OAuth clients, codes, grants and tokens.
#include "store/oauth_codec.hpp"
#include "store/postgres/pg_tx.hpp"

namespace tickler::store::postgres {
namespace {

const std::string k_client_sql =
    select_columns(k_oauth_client_columns, " FROM oauth_clients c WHERE c.client_id = $1");
const Query k_select_client{"select_oauth_client", k_client_sql.c_str()};
constexpr Query k_count_ungranted{"count_ungranted_oauth_clients",
                                  "SELECT count(*) FROM oauth_clients WHERE granted_at IS NULL"};
constexpr Query k_put_client{
    "put_oauth_client",
    "INSERT INTO oauth_clients (client_id, metadata, secret_hash, created_at, fetched_at) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client_id) DO UPDATE SET "
    "metadata = excluded.metadata, secret_hash = excluded.secret_hash, "
    "fetched_at = excluded.fetched_at"};
const std::string k_code_sql =
    select_columns(k_oauth_code_columns, " FROM oauth_codes WHERE code_hash = $1");
const Query k_select_code{"select_oauth_code", k_code_sql.c_str()};
constexpr Query k_insert_code{
    "insert_oauth_code",
    "INSERT INTO oauth_codes (code_hash, client_id, user_id, grant_id, redirect_uri, "
    "code_challenge, scopes, resource, created_at, expires_at, used) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, false)"};
constexpr Query k_use_code{"use_oauth_code",
                           "UPDATE oauth_codes SET used = true WHERE code_hash = $1 AND NOT used"};
constexpr Query k_cap_codes{
    "cap_oauth_codes",
    "DELETE FROM oauth_codes WHERE user_id = $1 AND NOT used AND code_hash NOT IN ("
    "SELECT code_hash FROM oauth_codes WHERE user_id = $1 AND NOT used "
    "ORDER BY created_at DESC, code_hash LIMIT $2)"};
const std::string k_grant_sql =
    select_columns(k_oauth_grant_columns, " FROM oauth_grants g WHERE g.id = $1");
const Query k_select_grant{"select_oauth_grant", k_grant_sql.c_str()};
const std::string k_grant_of_sql = select_columns(
    k_oauth_grant_columns, " FROM oauth_grants g WHERE g.user_id = $1 AND g.client_id = $2");
const Query k_select_grant_of{"select_oauth_grant_of", k_grant_of_sql.c_str()};
const std::string k_grants_sql =
    oauth_grant_entry_select("WHERE g.user_id = $1 AND g.revoked_at IS NULL ORDER BY g.id DESC");
const Query k_select_grants{"select_oauth_grants", k_grants_sql.c_str()};
// A revoked grant granted again starts over: new creation time, no last use.
const std::string k_upsert_grant_sql =
    std::string{
        "INSERT INTO oauth_grants AS g (user_id, client_id, scopes, created_at) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, client_id) DO UPDATE SET "
        "scopes = excluded.scopes, "
        "created_at = CASE WHEN g.revoked_at IS NULL THEN g.created_at ELSE excluded.created_at "
        "END, "
        "last_used_at = CASE WHEN g.revoked_at IS NULL THEN g.last_used_at ELSE NULL END, "
        "revoked_at = NULL RETURNING "} +
    k_oauth_grant_columns;
const Query k_upsert_grant{"upsert_oauth_grant", k_upsert_grant_sql.c_str()};
constexpr Query k_mark_client_granted{
    "mark_oauth_client_granted",
    "UPDATE oauth_clients SET granted_at = $2 WHERE client_id = $1 AND granted_at IS NULL"};
constexpr Query k_revoke_grant{"revoke_oauth_grant",
                               "UPDATE oauth_grants SET revoked_at = $1 WHERE id = $2 AND "
                               "user_id = $3 AND revoked_at IS NULL"};
constexpr Query k_delete_grant_tokens{"delete_oauth_grant_tokens",
                                      "DELETE FROM oauth_tokens WHERE grant_id = $1"};
constexpr Query k_delete_grant_codes{"delete_oauth_grant_codes",
                                     "DELETE FROM oauth_codes WHERE grant_id = $1"};
constexpr Query k_touch_grant{"touch_oauth_grant",
                              "UPDATE oauth_grants SET last_used_at = $1 WHERE id = $2"};
const std::string k_token_sql = oauth_token_grant_select("WHERE t.token_hash = $1");
const Query k_select_token{"select_oauth_token", k_token_sql.c_str()};
constexpr Query k_insert_token{
    "insert_oauth_token",
    "INSERT INTO oauth_tokens (token_hash, kind, grant_id, family, scopes, resource, created_at, "
    "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
constexpr Query k_rotate_token{"rotate_oauth_token",
                               "UPDATE oauth_tokens SET rotated_at = $1 WHERE token_hash = $2 "
                               "AND kind = 'refresh' AND rotated_at IS NULL"};
constexpr Query k_delete_token{"delete_oauth_token",
                               "DELETE FROM oauth_tokens WHERE token_hash = $1"};
constexpr Query k_delete_family{"delete_oauth_family",
                                "DELETE FROM oauth_tokens WHERE family = $1"};
constexpr Query k_cap_tokens{
    "cap_oauth_tokens",
    "DELETE FROM oauth_tokens WHERE grant_id = $1 AND kind = $2 AND token_hash NOT IN ("
    "SELECT token_hash FROM oauth_tokens WHERE grant_id = $1 AND kind = $2 "
    "ORDER BY created_at DESC, token_hash LIMIT $3)"};
constexpr Query k_purge_codes{"purge_oauth_codes",
                              "DELETE FROM oauth_codes WHERE expires_at <= $1"};
constexpr Query k_purge_tokens{"purge_oauth_tokens",
                               "DELETE FROM oauth_tokens WHERE expires_at <= $1"};
constexpr Query k_purge_clients{
    "purge_oauth_clients",
    "DELETE FROM oauth_clients WHERE granted_at IS NULL AND created_at < $1"};

// Runs a statement for its effect; whether it changed exactly one row.
Result<bool> changed_one(Result<PgResult> res) {
  if (!res) return res.error();
  return res->affected() == 1;
}

}  // namespace

Result<std::optional<OAuthClient>> PgTx::oauth_client(std::string_view client_id) {
  return first<OAuthClient>(conn_.exec(k_select_client, Params{client_id}),
                            [](const Row& r) { return read_oauth_client(r); });
}

Result<std::int64_t> PgTx::oauth_ungranted_clients() {
  auto res = conn_.exec(k_count_ungranted, Params{});
  if (!res) return res.error();
  return res->row(0).int64(0);
}

Result<std::optional<OAuthCode>> PgTx::oauth_code(std::string_view code_hash) {
  return first<OAuthCode>(conn_.exec(k_select_code, Params{code_hash}), read_oauth_code<Row>);
}

Result<std::optional<OAuthGrant>> PgTx::oauth_grant(std::int64_t id) {
  return first<OAuthGrant>(conn_.exec(k_select_grant, Params{id}),
                           [](const Row& r) { return read_oauth_grant(r); });
}

Result<std::optional<OAuthGrant>> PgTx::oauth_grant_of(core::UserId user,
                                                       std::string_view client_id) {
  return first<OAuthGrant>(conn_.exec(k_select_grant_of, Params{user, client_id}),
                           [](const Row& r) { return read_oauth_grant(r); });
}

Result<std::vector<OAuthGrantEntry>> PgTx::oauth_grants(core::UserId user) {
  return collect<OAuthGrantEntry>(conn_.exec(k_select_grants, Params{user}),
                                  read_oauth_grant_entry<Row>);
}

Result<std::optional<OAuthTokenGrant>> PgTx::oauth_token(std::string_view token_hash) {
  return first<OAuthTokenGrant>(conn_.exec(k_select_token, Params{token_hash}),
                                read_oauth_token_grant<Row>);
}

Status PgTx::put_oauth_client(const OAuthClient& c) {
  return done(conn_.exec(
      k_put_client, Params{c.client_id, c.metadata, c.secret_hash, c.created_at, c.fetched_at}));
}

Status PgTx::insert_oauth_code(const OAuthCode& c) {
  return done(conn_.exec(
      k_insert_code, Params{c.code_hash, c.client_id, c.user_id, c.grant_id, c.redirect_uri,
                            c.code_challenge, c.scopes, c.resource, c.created_at, c.expires_at}));
}

Result<bool> PgTx::use_oauth_code(std::string_view code_hash) {
  return changed_one(conn_.exec(k_use_code, Params{code_hash}));
}

Status PgTx::cap_oauth_codes(core::UserId user, int keep) {
  return done(conn_.exec(k_cap_codes, Params{user, keep}));
}

Result<OAuthGrant> PgTx::grant_oauth(core::UserId user, std::string_view client_id,
                                     std::string_view scopes, core::Instant at) {
  auto res = conn_.exec(k_upsert_grant, Params{user, client_id, scopes, at});
  if (!res) return res.error();
  auto grant = read_oauth_grant(res->row(0));
  if (auto st = done(conn_.exec(k_mark_client_granted, Params{client_id, at})); !st) {
    return st.error();
  }
  return grant;
}

Result<bool> PgTx::revoke_oauth_grant(core::UserId user, std::int64_t grant_id, core::Instant at) {
  auto revoked = changed_one(conn_.exec(k_revoke_grant, Params{at, grant_id, user}));
  if (!revoked || !*revoked) return revoked;
  for (const auto& q : {k_delete_grant_tokens, k_delete_grant_codes}) {
    if (auto st = done(conn_.exec(q, Params{grant_id})); !st) return st.error();
  }
  return true;
}

Status PgTx::touch_oauth_grant(std::int64_t grant_id, core::Instant at) {
  return done(conn_.exec(k_touch_grant, Params{at, grant_id}));
}

Status PgTx::insert_oauth_token(const OAuthToken& t) {
  return done(
      conn_.exec(k_insert_token, Params{t.token_hash, kind_name(t.kind), t.grant_id, t.family,
                                        t.scopes, t.resource, t.created_at, t.expires_at}));
}

Result<bool> PgTx::rotate_oauth_token(std::string_view token_hash, core::Instant at) {
  return changed_one(conn_.exec(k_rotate_token, Params{at, token_hash}));
}

Result<bool> PgTx::delete_oauth_token(std::string_view token_hash) {
  return changed_one(conn_.exec(k_delete_token, Params{token_hash}));
}

Status PgTx::delete_oauth_family(std::string_view family) {
  return done(conn_.exec(k_delete_family, Params{family}));
}

Status PgTx::cap_oauth_tokens(std::int64_t grant_id, OAuthTokenKind kind, int keep) {
  return done(conn_.exec(k_cap_tokens, Params{grant_id, kind_name(kind), keep}));
}

Result<int> PgTx::purge_oauth(core::Instant now, core::Instant stale_before) {
  int removed = 0;
  for (const auto& [q, at] : {std::pair{k_purge_codes, now}, std::pair{k_purge_tokens, now},
                              std::pair{k_purge_clients, stale_before}}) {
    auto res = conn_.exec(q, Params{at});
    if (!res) return res.error();
    removed += static_cast<int>(res->affected());
  }
  return removed;
}

}  // namespace tickler::store::postgres
