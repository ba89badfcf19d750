// SqliteTx: personal API tokens.
#include "store/row_codec.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

const std::string k_select_tokens =
    select_columns(k_api_token_columns, " FROM api_tokens WHERE user_id = ? ORDER BY id");
const std::string k_select_token_by_hash =
    select_columns(k_api_token_columns, " FROM api_tokens WHERE token_hash = ?");
constexpr const char* k_count_tokens = "SELECT count(*) FROM api_tokens WHERE user_id = ?";
constexpr const char* k_insert_token =
    "INSERT INTO api_tokens (user_id, name, token_hash, prefix, scopes, created_at, expires_at, "
    "last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_delete_token = "DELETE FROM api_tokens WHERE id = ? AND user_id = ?";
constexpr const char* k_delete_tokens = "DELETE FROM api_tokens WHERE user_id = ?";
constexpr const char* k_touch_token =
    "UPDATE api_tokens SET last_used_at = ?1 "
    "WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)";

}  // namespace

Result<std::vector<ApiToken>> SqliteTx::api_tokens(core::UserId user) {
  auto s = bound(conn_, k_select_tokens, user);
  if (!s) return s.error();
  return collect<ApiToken>(*s, read_api_token<Statement>);
}

Result<std::optional<ApiToken>> SqliteTx::api_token_by_hash(std::string_view token_hash) {
  auto s = bound(conn_, k_select_token_by_hash, token_hash);
  if (!s) return s.error();
  return first<ApiToken>(*s, read_api_token<Statement>);
}

Result<std::int64_t> SqliteTx::count_api_tokens(core::UserId user) {
  auto s = bound(conn_, k_count_tokens, user);
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  return *row ? s->int64(0) : 0;
}

Result<ApiToken> SqliteTx::insert_api_token(ApiToken token) {
  auto s = bound(conn_, k_insert_token, token.user_id, token.name, token.token_hash, token.prefix,
                 join_words(token.scopes), token.created_at, token.expires_at, token.last_used_at);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  token.id = conn_.last_insert_id();
  return token;
}

Result<bool> SqliteTx::delete_api_token(core::UserId user, std::int64_t id) {
  auto s = bound(conn_, k_delete_token, id, user);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<std::int64_t> SqliteTx::delete_api_tokens(core::UserId user) {
  auto s = bound(conn_, k_delete_tokens, user);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return std::int64_t{sqlite3_changes(conn_.handle())};
}

Status SqliteTx::touch_api_token(std::int64_t id, core::Instant at) {
  auto s = bound(conn_, k_touch_token, at, id);
  if (!s) return s.error();
  return s->run();
}

}  // namespace tickler::store::sqlite
