// PgTx: the audit log and its chain heads.
#include <array>

#include "store/postgres/pg_tx.hpp"
#include "store/row_codec.hpp"

namespace tickler::store::postgres {
namespace {

constexpr Query k_insert_audit{
    "insert_audit",
    "INSERT INTO audit_log (event_id, user_id, task_id, actor, type, changes, at, request_id, "
    "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"};
// Moves the head only from the hash the entry follows: the row lock the upsert takes (and,
// at REPEATABLE READ, the serialization failure a concurrent move causes) keeps a chain from
// forking even when two auditors append for one user at once.
constexpr Query k_upsert_head{
    "upsert_audit_head",
    "INSERT INTO audit_heads (user_id, last_id, hash, entries) VALUES ($1, $2, $3, 1) "
    "ON CONFLICT (user_id) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash, "
    "entries = audit_heads.entries + 1 WHERE audit_heads.hash = $4"};
const std::string k_heads_sql =
    select_columns(k_audit_head_columns, " FROM audit_heads ORDER BY user_id");
const std::string k_head_sql =
    select_columns(k_audit_head_columns, " FROM audit_heads WHERE user_id = $1");
const Query k_select_heads{"select_audit_heads", k_heads_sql.c_str()};
const Query k_select_head{"select_audit_head", k_head_sql.c_str()};
const std::string k_history_sql = select_columns(
    k_audit_columns, " FROM audit_log WHERE user_id = $1 AND task_id = $2 ORDER BY id");
const Query k_select_history{"select_audit_history", k_history_sql.c_str()};
// Read in batches through a cursor: the whole log never sits in memory at once.
const std::string k_declare_walk =
    "DECLARE audit_walk NO SCROLL CURSOR FOR " +
    select_columns(k_audit_columns, " FROM audit_log ORDER BY user_id, id");
const std::string k_fetch_walk = "FETCH 500 FROM audit_walk";
const std::string k_close_walk = "CLOSE audit_walk";

}  // namespace

Result<std::vector<AuditEntry>> PgTx::audit_history(core::UserId user, core::TaskId task) {
  return collect<AuditEntry>(conn_.exec(k_select_history, Params{user, task}),
                             read_audit_entry<Row>);
}

Status PgTx::for_each_audit_entry(const std::function<Status(const AuditEntry&)>& fn) {
  if (auto st = done(conn_.exec(k_declare_walk)); !st) return st;
  Status st;
  for (bool more = true; more && st;) {
    auto batch = conn_.exec(k_fetch_walk);
    if (!batch) return batch.error();
    more = !batch->empty();
    for (int i = 0; i < batch->rows() && st; ++i) st = fn(read_audit_entry(batch->row(i)));
  }
  if (!st) {
    (void)conn_.exec(k_close_walk);  // fn stopped the walk: the transaction may go on
    return st;
  }
  return done(conn_.exec(k_close_walk));
}

Result<std::vector<AuditHead>> PgTx::audit_heads() {
  return collect<AuditHead>(conn_.exec(k_select_heads, Params{}), read_audit_head<Row>);
}

Result<std::optional<AuditHead>> PgTx::audit_head(core::UserId user) {
  return first<AuditHead>(conn_.exec(k_select_head, Params{user}), read_audit_head<Row>);
}

Result<std::int64_t> PgTx::append_audit(const AuditEntry& e) {
  auto res = conn_.exec(k_insert_audit, Params{e.event_id, e.user_id, e.task_id, e.actor, e.type,
                                               e.changes, e.at, e.request_id, e.prev_hash, e.hash});
  if (!res) return res.error();
  const auto id = res->row(0).int64(0);
  auto head = conn_.exec(k_upsert_head, Params{e.user_id, id, e.hash, e.prev_hash});
  if (!head) return head.error();
  if (head->affected() == 0) {
    return core::make_error(core::Errc::conflict, "audit chain of user " +
                                                      std::to_string(e.user_id) +
                                                      " has moved past the entry's prev_hash");
  }
  return id;
}

Status PgTx::delete_user_audit(core::UserId user) {
  constexpr std::array<Query, 2> k_statements{
      Query{"delete_user_audit_log", "DELETE FROM audit_log WHERE user_id = $1"},
      Query{"delete_user_audit_head", "DELETE FROM audit_heads WHERE user_id = $1"}};
  for (const auto& q : k_statements) {
    if (auto st = done(conn_.exec(q, Params{user})); !st) return st;
  }
  return {};
}

}  // namespace tickler::store::postgres
