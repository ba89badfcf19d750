// SqliteTx: the audit log and its chain heads.
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

constexpr const char* k_audit_columns =
    "id, event_id, user_id, task_id, actor, type, changes, at, request_id, prev_hash, hash";
constexpr const char* k_insert_audit =
    "INSERT INTO audit_log (event_id, user_id, task_id, actor, type, changes, at, request_id, "
    "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_upsert_head =
    "INSERT INTO audit_heads (user_id, last_id, hash, entries) VALUES (?, ?, ?, 1) "
    "ON CONFLICT (user_id) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash, "
    "entries = entries + 1";
constexpr const char* k_select_heads = "SELECT user_id, last_id, hash, entries FROM audit_heads";

AuditEntry read_entry(const Statement& s) {
  return {s.int64(0), s.text(1), s.int64(2), s.int64(3),
          s.text(4),  s.text(5), s.text(6),  core::from_millis(s.int64(7)),
          s.text(8),  s.text(9), s.text(10)};
}

}  // namespace

Result<std::vector<AuditEntry>> SqliteTx::audit_history(core::UserId user, core::TaskId task) {
  static const std::string sql = std::string{"SELECT "} + k_audit_columns +
                                 " FROM audit_log WHERE user_id = ? AND task_id = ? ORDER BY id";
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  s->bind(1, user).bind(2, task);
  std::vector<AuditEntry> out;
  auto st = s->each_row([&](const Statement& row) -> Status {
    out.push_back(read_entry(row));
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status SqliteTx::for_each_audit_entry(const std::function<Status(const AuditEntry&)>& fn) {
  static const std::string sql =
      std::string{"SELECT "} + k_audit_columns + " FROM audit_log ORDER BY user_id, id";
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  return s->each_row([&](const Statement& row) { return fn(read_entry(row)); });
}

Result<std::vector<AuditHead>> SqliteTx::audit_heads() {
  auto s = conn_.prepare(k_select_heads);
  if (!s) return s.error();
  std::vector<AuditHead> out;
  auto st = s->each_row([&](const Statement& row) -> Status {
    out.push_back({row.int64(0), row.int64(1), row.text(2), row.int64(3)});
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::optional<AuditHead>> SqliteTx::audit_head(core::UserId user) {
  static const std::string sql = std::string{k_select_heads} + " WHERE user_id = ?";
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  s->bind(1, user);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<AuditHead>{};
  return std::optional<AuditHead>{AuditHead{s->int64(0), s->int64(1), s->text(2), s->int64(3)}};
}

Result<std::int64_t> SqliteTx::append_audit(const AuditEntry& e) {
  auto s = conn_.prepare(k_insert_audit);
  if (!s) return s.error();
  s->bind(1, e.event_id).bind(2, e.user_id).bind(3, e.task_id).bind(4, e.actor).bind(5, e.type);
  s->bind(6, e.changes).bind(7, core::to_millis(e.at)).bind(8, e.request_id);
  s->bind(9, e.prev_hash).bind(10, e.hash);
  if (auto st = s->run(); !st) return st.error();
  const auto id = conn_.last_insert_id();
  auto h = conn_.prepare(k_upsert_head);
  if (!h) return h.error();
  h->bind(1, e.user_id).bind(2, id).bind(3, e.hash);
  if (auto st = h->run(); !st) return st.error();
  return id;
}

Status SqliteTx::delete_user_audit(core::UserId user) {
  for (const char* sql :
       {"DELETE FROM audit_log WHERE user_id = ?", "DELETE FROM audit_heads WHERE user_id = ?"}) {
    auto s = conn_.prepare(sql);
    if (!s) return s.error();
    s->bind(1, user);
    if (auto st = s->run(); !st) return st;
  }
  return {};
}

}  // namespace tickler::store::sqlite
