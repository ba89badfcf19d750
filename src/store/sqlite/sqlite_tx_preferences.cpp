// SqliteTx: users' notification preferences and tasks' overrides of them (the notifier's).
#include "store/row_codec.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

const std::string k_select_settings =
    select_columns(k_preference_columns, " FROM notification_settings WHERE user_id = ?");
constexpr const char* k_set_settings =
    "INSERT OR REPLACE INTO notification_settings (user_id, body, updated_at) VALUES (?, ?, ?)";
const std::string k_select_override = select_columns(
    k_preference_columns, " FROM notification_overrides WHERE user_id = ? AND task_id = ?");
// One override per task: a task id is never another user's, so the row is replaced whole.
constexpr const char* k_set_override =
    "INSERT OR REPLACE INTO notification_overrides (task_id, user_id, body, updated_at) "
    "VALUES (?, ?, ?, ?)";
constexpr const char* k_delete_override =
    "DELETE FROM notification_overrides WHERE user_id = ? AND task_id = ?";

}  // namespace

Result<std::optional<PreferenceDocument>> SqliteTx::notification_settings(core::UserId user) {
  auto s = bound(conn_, k_select_settings, user);
  if (!s) return s.error();
  return first<PreferenceDocument>(*s, read_preference<Statement>);
}

Result<std::optional<PreferenceDocument>> SqliteTx::notification_override(core::UserId user,
                                                                          core::TaskId task) {
  auto s = bound(conn_, k_select_override, user, task);
  if (!s) return s.error();
  return first<PreferenceDocument>(*s, read_preference<Statement>);
}

Status SqliteTx::set_notification_settings(const PreferenceDocument& d) {
  auto s = bound(conn_, k_set_settings, d.user_id, d.body, d.updated_at);
  if (!s) return s.error();
  return s->run();
}

Status SqliteTx::set_notification_override(core::TaskId task, const PreferenceDocument& d) {
  auto s = bound(conn_, k_set_override, task, d.user_id, d.body, d.updated_at);
  if (!s) return s.error();
  return s->run();
}

Result<bool> SqliteTx::delete_notification_override(core::UserId user, core::TaskId task) {
  auto s = bound(conn_, k_delete_override, user, task);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) > 0;
}

}  // namespace tickler::store::sqlite
