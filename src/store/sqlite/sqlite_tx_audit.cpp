// SqliteTx: the audit log and its chain heads.
#include "store/row_codec.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

constexpr const char* k_insert_audit =
    "INSERT INTO audit_log (event_id, user_id, task_id, actor, type, changes, at, request_id, "
    "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_upsert_head =
    "INSERT INTO audit_heads (user_id, last_id, hash, entries) VALUES (?, ?, ?, 1) "
    "ON CONFLICT (user_id) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash, "
    "entries = entries + 1";
const std::string k_select_history = select_columns(
    k_audit_columns, " FROM audit_log WHERE user_id = ? AND task_id = ? ORDER BY id");
const std::string k_select_log =
    select_columns(k_audit_columns, " FROM audit_log ORDER BY user_id, id");
const std::string k_select_heads = select_columns(k_audit_head_columns, " FROM audit_heads");
const std::string k_select_head = k_select_heads + " WHERE user_id = ?";

}  // namespace

Result<std::vector<AuditEntry>> SqliteTx::audit_history(core::UserId user, core::TaskId task) {
  auto s = bound(conn_, k_select_history, user, task);
  if (!s) return s.error();
  return collect<AuditEntry>(*s, read_audit_entry<Statement>);
}

Status SqliteTx::for_each_audit_entry(const std::function<Status(const AuditEntry&)>& fn) {
  auto s = conn_.prepare(k_select_log);
  if (!s) return s.error();
  return s->each_row([&](const Statement& row) { return fn(read_audit_entry(row)); });
}

Result<std::vector<AuditHead>> SqliteTx::audit_heads() {
  auto s = conn_.prepare(k_select_heads);
  if (!s) return s.error();
  return collect<AuditHead>(*s, read_audit_head<Statement>);
}

Result<std::optional<AuditHead>> SqliteTx::audit_head(core::UserId user) {
  auto s = bound(conn_, k_select_head, user);
  if (!s) return s.error();
  return first<AuditHead>(*s, read_audit_head<Statement>);
}

Result<std::int64_t> SqliteTx::append_audit(const AuditEntry& e) {
  auto s = bound(conn_, k_insert_audit, e.event_id, e.user_id, e.task_id, e.actor, e.type,
                 e.changes, e.at, e.request_id, e.prev_hash, e.hash);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  const auto id = conn_.last_insert_id();
  auto h = bound(conn_, k_upsert_head, e.user_id, id, e.hash);
  if (!h) return h.error();
  if (auto st = h->run(); !st) return st.error();
  return id;
}

Status SqliteTx::delete_user_audit(core::UserId user) {
  return delete_for_user(
      {"DELETE FROM audit_log WHERE user_id = ?", "DELETE FROM audit_heads WHERE user_id = ?"},
      user);
}

}  // namespace tickler::store::sqlite
