// PgTx: personal API tokens.
#include "store/postgres/pg_tx.hpp"
#include "store/row_codec.hpp"

namespace tickler::store::postgres {
namespace {

const std::string k_tokens_sql =
    select_columns(k_api_token_columns, " FROM api_tokens WHERE user_id = $1 ORDER BY id");
const std::string k_token_by_hash_sql =
    select_columns(k_api_token_columns, " FROM api_tokens WHERE token_hash = $1");
const Query k_select_tokens{"select_api_tokens", k_tokens_sql.c_str()};
const Query k_select_token_by_hash{"select_api_token_by_hash", k_token_by_hash_sql.c_str()};
constexpr Query k_count_tokens{"count_api_tokens",
                               "SELECT count(*) FROM api_tokens WHERE user_id = $1"};
constexpr Query k_insert_token{
    "insert_api_token",
    "INSERT INTO api_tokens (user_id, name, token_hash, prefix, scopes, created_at, expires_at, "
    "last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"};
constexpr Query k_delete_token{"delete_api_token",
                               "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2"};
constexpr Query k_delete_tokens{"delete_api_tokens", "DELETE FROM api_tokens WHERE user_id = $1"};
constexpr Query k_touch_token{"touch_api_token",
                              "UPDATE api_tokens SET last_used_at = $1 "
                              "WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)"};

}  // namespace

Result<std::vector<ApiToken>> PgTx::api_tokens(core::UserId user) {
  return collect<ApiToken>(conn_.exec(k_select_tokens, Params{user}), read_api_token<Row>);
}

Result<std::optional<ApiToken>> PgTx::api_token_by_hash(std::string_view token_hash) {
  return first<ApiToken>(conn_.exec(k_select_token_by_hash, Params{token_hash}),
                         read_api_token<Row>);
}

Result<std::int64_t> PgTx::count_api_tokens(core::UserId user) {
  auto res = conn_.exec(k_count_tokens, Params{user});
  if (!res) return res.error();
  return res->row(0).int64(0);
}

Result<ApiToken> PgTx::insert_api_token(ApiToken token) {
  auto res =
      conn_.exec(k_insert_token, Params{token.user_id, token.name, token.token_hash, token.prefix,
                                        join_words(token.scopes), token.created_at,
                                        token.expires_at, token.last_used_at});
  if (!res) return res.error();
  token.id = res->row(0).int64(0);
  return token;
}

Result<bool> PgTx::delete_api_token(core::UserId user, std::int64_t id) {
  auto res = conn_.exec(k_delete_token, Params{id, user});
  if (!res) return res.error();
  return res->affected() == 1;
}

Result<std::int64_t> PgTx::delete_api_tokens(core::UserId user) {
  auto res = conn_.exec(k_delete_tokens, Params{user});
  if (!res) return res.error();
  return res->affected();
}

Status PgTx::touch_api_token(std::int64_t id, core::Instant at) {
  return done(conn_.exec(k_touch_token, Params{at, id}));
}

}  // namespace tickler::store::postgres
