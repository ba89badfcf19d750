// SqliteTx: OAuth clients, codes, grants and tokens.
#include "store/oauth_codec.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

const std::string k_select_client =
    select_columns(k_oauth_client_columns, " FROM oauth_clients c WHERE c.client_id = ?");
constexpr const char* k_count_ungranted =
    "SELECT count(*) FROM oauth_clients WHERE granted_at IS NULL";
constexpr const char* k_put_client =
    "INSERT INTO oauth_clients (client_id, metadata, secret_hash, created_at, fetched_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (client_id) DO UPDATE SET "
    "metadata = excluded.metadata, secret_hash = excluded.secret_hash, "
    "fetched_at = excluded.fetched_at";
const std::string k_select_code =
    select_columns(k_oauth_code_columns, " FROM oauth_codes WHERE code_hash = ?");
constexpr const char* k_insert_code =
    "INSERT INTO oauth_codes (code_hash, client_id, user_id, grant_id, redirect_uri, "
    "code_challenge, scopes, resource, created_at, expires_at, used) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";
constexpr const char* k_use_code =
    "UPDATE oauth_codes SET used = 1 WHERE code_hash = ? AND used = 0";
constexpr const char* k_cap_codes =
    "DELETE FROM oauth_codes WHERE user_id = ?1 AND used = 0 AND code_hash NOT IN ("
    "SELECT code_hash FROM oauth_codes WHERE user_id = ?1 AND used = 0 "
    "ORDER BY created_at DESC, code_hash LIMIT ?2)";
const std::string k_select_grant =
    select_columns(k_oauth_grant_columns, " FROM oauth_grants g WHERE g.id = ?");
const std::string k_select_grant_of = select_columns(
    k_oauth_grant_columns, " FROM oauth_grants g WHERE g.user_id = ? AND g.client_id = ?");
const std::string k_select_grants =
    oauth_grant_entry_select("WHERE g.user_id = ? AND g.revoked_at IS NULL ORDER BY g.id DESC");
// A revoked grant granted again starts over: new creation time, no last use.
const std::string k_upsert_grant =
    std::string{
        "INSERT INTO oauth_grants AS g (user_id, client_id, scopes, created_at) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id, client_id) DO UPDATE SET "
        "scopes = excluded.scopes, "
        "created_at = CASE WHEN g.revoked_at IS NULL THEN g.created_at ELSE excluded.created_at "
        "END, "
        "last_used_at = CASE WHEN g.revoked_at IS NULL THEN g.last_used_at ELSE NULL END, "
        "revoked_at = NULL RETURNING "} +
    k_oauth_grant_returning;
constexpr const char* k_mark_client_granted =
    "UPDATE oauth_clients SET granted_at = ?2 WHERE client_id = ?1 AND granted_at IS NULL";
constexpr const char* k_revoke_grant =
    "UPDATE oauth_grants SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL";
constexpr const char* k_delete_grant_tokens = "DELETE FROM oauth_tokens WHERE grant_id = ?";
constexpr const char* k_delete_grant_codes = "DELETE FROM oauth_codes WHERE grant_id = ?";
constexpr const char* k_touch_grant = "UPDATE oauth_grants SET last_used_at = ? WHERE id = ?";
const std::string k_select_token = oauth_token_grant_select("WHERE t.token_hash = ?");
constexpr const char* k_insert_token =
    "INSERT INTO oauth_tokens (token_hash, kind, grant_id, family, scopes, resource, created_at, "
    "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_rotate_token =
    "UPDATE oauth_tokens SET rotated_at = ? WHERE token_hash = ? AND kind = 'refresh' "
    "AND rotated_at IS NULL";
constexpr const char* k_delete_token = "DELETE FROM oauth_tokens WHERE token_hash = ?";
constexpr const char* k_delete_family = "DELETE FROM oauth_tokens WHERE family = ?";
constexpr const char* k_cap_tokens =
    "DELETE FROM oauth_tokens WHERE grant_id = ?1 AND kind = ?2 AND token_hash NOT IN ("
    "SELECT token_hash FROM oauth_tokens WHERE grant_id = ?1 AND kind = ?2 "
    "ORDER BY created_at DESC, token_hash LIMIT ?3)";
constexpr const char* k_purge_codes = "DELETE FROM oauth_codes WHERE expires_at <= ?";
constexpr const char* k_purge_tokens = "DELETE FROM oauth_tokens WHERE expires_at <= ?";
constexpr const char* k_purge_clients =
    "DELETE FROM oauth_clients WHERE granted_at IS NULL AND created_at < ?";

}  // namespace

Result<std::optional<OAuthClient>> SqliteTx::oauth_client(std::string_view client_id) {
  auto s = bound(conn_, k_select_client, client_id);
  if (!s) return s.error();
  return first<OAuthClient>(*s, [](const Statement& r) { return read_oauth_client(r); });
}

Result<std::int64_t> SqliteTx::oauth_ungranted_clients() {
  auto s = conn_.prepare(k_count_ungranted);
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  return *row ? s->int64(0) : 0;
}

Result<std::optional<OAuthCode>> SqliteTx::oauth_code(std::string_view code_hash) {
  auto s = bound(conn_, k_select_code, code_hash);
  if (!s) return s.error();
  return first<OAuthCode>(*s, read_oauth_code<Statement>);
}

Result<std::optional<OAuthGrant>> SqliteTx::oauth_grant(std::int64_t id) {
  auto s = bound(conn_, k_select_grant, id);
  if (!s) return s.error();
  return first<OAuthGrant>(*s, [](const Statement& r) { return read_oauth_grant(r); });
}

Result<std::optional<OAuthGrant>> SqliteTx::oauth_grant_of(core::UserId user,
                                                           std::string_view client_id) {
  auto s = bound(conn_, k_select_grant_of, user, client_id);
  if (!s) return s.error();
  return first<OAuthGrant>(*s, [](const Statement& r) { return read_oauth_grant(r); });
}

Result<std::vector<OAuthGrantEntry>> SqliteTx::oauth_grants(core::UserId user) {
  auto s = bound(conn_, k_select_grants, user);
  if (!s) return s.error();
  return collect<OAuthGrantEntry>(*s, read_oauth_grant_entry<Statement>);
}

Result<std::optional<OAuthTokenGrant>> SqliteTx::oauth_token(std::string_view token_hash) {
  auto s = bound(conn_, k_select_token, token_hash);
  if (!s) return s.error();
  return first<OAuthTokenGrant>(*s, read_oauth_token_grant<Statement>);
}

Status SqliteTx::put_oauth_client(const OAuthClient& c) {
  auto s = bound(conn_, k_put_client, c.client_id, c.metadata, c.secret_hash, c.created_at,
                 c.fetched_at);
  if (!s) return s.error();
  return s->run();
}

Status SqliteTx::insert_oauth_code(const OAuthCode& c) {
  auto s =
      bound(conn_, k_insert_code, c.code_hash, c.client_id, c.user_id, c.grant_id, c.redirect_uri,
            c.code_challenge, c.scopes, c.resource, c.created_at, c.expires_at);
  if (!s) return s.error();
  return s->run();
}

Result<bool> SqliteTx::use_oauth_code(std::string_view code_hash) {
  auto s = bound(conn_, k_use_code, code_hash);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Status SqliteTx::cap_oauth_codes(core::UserId user, int keep) {
  auto s = bound(conn_, k_cap_codes, user, std::int64_t{keep});
  if (!s) return s.error();
  return s->run();
}

Result<OAuthGrant> SqliteTx::grant_oauth(core::UserId user, std::string_view client_id,
                                         std::string_view scopes, core::Instant at) {
  auto s = bound(conn_, k_upsert_grant, user, client_id, scopes, at);
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return core::make_error(core::Errc::internal, "grant upsert returned no row");
  auto grant = read_oauth_grant(*s);
  if (auto st = s->run(); !st) return st.error();
  auto mark = bound(conn_, k_mark_client_granted, client_id, at);
  if (!mark) return mark.error();
  if (auto st = mark->run(); !st) return st.error();
  return grant;
}

Result<bool> SqliteTx::revoke_oauth_grant(core::UserId user, std::int64_t grant_id,
                                          core::Instant at) {
  auto s = bound(conn_, k_revoke_grant, at, grant_id, user);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  if (sqlite3_changes(conn_.handle()) == 0) return false;
  for (const char* sql : {k_delete_grant_tokens, k_delete_grant_codes}) {
    auto d = bound(conn_, sql, grant_id);
    if (!d) return d.error();
    if (auto st = d->run(); !st) return st.error();
  }
  return true;
}

Status SqliteTx::touch_oauth_grant(std::int64_t grant_id, core::Instant at) {
  auto s = bound(conn_, k_touch_grant, at, grant_id);
  if (!s) return s.error();
  return s->run();
}

Status SqliteTx::insert_oauth_token(const OAuthToken& t) {
  auto s = bound(conn_, k_insert_token, t.token_hash, kind_name(t.kind), t.grant_id, t.family,
                 t.scopes, t.resource, t.created_at, t.expires_at);
  if (!s) return s.error();
  return s->run();
}

Result<bool> SqliteTx::rotate_oauth_token(std::string_view token_hash, core::Instant at) {
  auto s = bound(conn_, k_rotate_token, at, token_hash);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<bool> SqliteTx::delete_oauth_token(std::string_view token_hash) {
  auto s = bound(conn_, k_delete_token, token_hash);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Status SqliteTx::delete_oauth_family(std::string_view family) {
  auto s = bound(conn_, k_delete_family, family);
  if (!s) return s.error();
  return s->run();
}

Status SqliteTx::cap_oauth_tokens(std::int64_t grant_id, OAuthTokenKind kind, int keep) {
  auto s = bound(conn_, k_cap_tokens, grant_id, kind_name(kind), std::int64_t{keep});
  if (!s) return s.error();
  return s->run();
}

Result<int> SqliteTx::purge_oauth(core::Instant now, core::Instant stale_before) {
  int removed = 0;
  for (auto [sql, at] : {std::pair{k_purge_codes, now}, std::pair{k_purge_tokens, now},
                         std::pair{k_purge_clients, stale_before}}) {
    auto s = bound(conn_, sql, at);
    if (!s) return s.error();
    if (auto st = s->run(); !st) return st.error();
    removed += sqlite3_changes(conn_.handle());
  }
  return removed;
}

}  // namespace tickler::store::sqlite
