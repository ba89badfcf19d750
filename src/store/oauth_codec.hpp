#pragma once
// The OAuth area's rows as both engines hold them (as row_codec.hpp does for the other areas):
// each row's column list beside its reader. A reader takes the index of the row's first column,
// so a joined SELECT reads a token, its grant and its client from one row.
#include <string>
#include <string_view>

#include "store/oauth.hpp"
#include "store/row_codec.hpp"

namespace tickler::store {

// The kind column: 'access' | 'refresh'.
[[nodiscard]] inline const char* kind_name(OAuthTokenKind kind) {
  return kind == OAuthTokenKind::refresh ? "refresh" : "access";
}

inline constexpr const char* k_oauth_client_columns =
    "c.client_id, c.metadata, c.secret_hash, c.created_at, c.granted_at, c.fetched_at";
inline constexpr int k_oauth_client_width = 6;
template <RowColumns R>
OAuthClient read_oauth_client(const R& r, int at = 0) {
  return {r.text(at),        r.text(at + 1),        r.text(at + 2),
          r.instant(at + 3), r.opt_instant(at + 4), r.opt_instant(at + 5)};
}

inline constexpr const char* k_oauth_code_columns =
    "code_hash, client_id, user_id, grant_id, redirect_uri, code_challenge, scopes, resource, "
    "created_at, expires_at, used";
template <RowColumns R>
OAuthCode read_oauth_code(const R& r) {
  return {r.text(0), r.text(1), r.int64(2),   r.int64(3),   r.text(4),    r.text(5),
          r.text(6), r.text(7), r.instant(8), r.instant(9), r.boolean(10)};
}

inline constexpr const char* k_oauth_grant_columns =
    "g.id, g.user_id, g.client_id, g.scopes, g.created_at, g.last_used_at, g.revoked_at";
inline constexpr int k_oauth_grant_width = 7;
// The same columns unqualified (SQLite's RETURNING cannot name the table's alias).
inline constexpr const char* k_oauth_grant_returning =
    "id, user_id, client_id, scopes, created_at, last_used_at, revoked_at";
template <RowColumns R>
OAuthGrant read_oauth_grant(const R& r, int at = 0) {
  return {r.int64(at),       r.int64(at + 1),       r.text(at + 2),       r.text(at + 3),
          r.instant(at + 4), r.opt_instant(at + 5), r.opt_instant(at + 6)};
}

inline constexpr const char* k_oauth_token_columns =
    "t.token_hash, t.kind, t.grant_id, t.family, t.scopes, t.resource, t.created_at, "
    "t.expires_at, t.rotated_at";
inline constexpr int k_oauth_token_width = 9;
template <RowColumns R>
OAuthToken read_oauth_token(const R& r, int at = 0) {
  return {r.text(at),
          r.view(at + 1) == "refresh" ? OAuthTokenKind::refresh : OAuthTokenKind::access,
          r.int64(at + 2),
          r.text(at + 3),
          r.text(at + 4),
          r.text(at + 5),
          r.instant(at + 6),
          r.instant(at + 7),
          r.opt_instant(at + 8)};
}

// "SELECT <token>, <grant>, <client> FROM oauth_tokens t JOIN …" and its reader.
[[nodiscard]] inline std::string oauth_token_grant_select(std::string_view where) {
  std::string sql = "SELECT ";
  sql += k_oauth_token_columns;
  sql += ", ";
  sql += k_oauth_grant_columns;
  sql += ", ";
  sql += k_oauth_client_columns;
  sql +=
      " FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id "
      "JOIN oauth_clients c ON c.client_id = g.client_id ";
  sql += where;
  return sql;
}
template <RowColumns R>
OAuthTokenGrant read_oauth_token_grant(const R& r) {
  return {read_oauth_token(r, 0), read_oauth_grant(r, k_oauth_token_width),
          read_oauth_client(r, k_oauth_token_width + k_oauth_grant_width)};
}

// "SELECT <grant>, <client> FROM oauth_grants g JOIN …" and its reader.
[[nodiscard]] inline std::string oauth_grant_entry_select(std::string_view where) {
  std::string sql = "SELECT ";
  sql += k_oauth_grant_columns;
  sql += ", ";
  sql += k_oauth_client_columns;
  sql += " FROM oauth_grants g JOIN oauth_clients c ON c.client_id = g.client_id ";
  sql += where;
  return sql;
}
template <RowColumns R>
OAuthGrantEntry read_oauth_grant_entry(const R& r) {
  return {read_oauth_grant(r, 0), read_oauth_client(r, k_oauth_grant_width)};
}

}  // namespace tickler::store
