// PgTx: users' notification preferences and tasks' overrides of them (the notifier's).
#include "store/postgres/pg_tx.hpp"
#include "store/row_codec.hpp"

namespace tickler::store::postgres {
namespace {

const std::string k_settings_sql =
    select_columns(k_preference_columns, " FROM notification_settings WHERE user_id = $1");
const Query k_select_settings{"select_notification_settings", k_settings_sql.c_str()};
constexpr Query k_set_settings{
    "set_notification_settings",
    "INSERT INTO notification_settings (user_id, body, updated_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (user_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at"};
const std::string k_override_sql = select_columns(
    k_preference_columns, " FROM notification_overrides WHERE user_id = $1 AND task_id = $2");
const Query k_select_override{"select_notification_override", k_override_sql.c_str()};
// One override per task: a task id is never another user's, so the row is replaced whole.
constexpr Query k_set_override{
    "set_notification_override",
    "INSERT INTO notification_overrides (task_id, user_id, body, updated_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (task_id) DO UPDATE SET user_id = excluded.user_id, "
    "body = excluded.body, updated_at = excluded.updated_at"};
constexpr Query k_delete_override{
    "delete_notification_override",
    "DELETE FROM notification_overrides WHERE user_id = $1 AND task_id = $2"};

}  // namespace

Result<std::optional<PreferenceDocument>> PgTx::notification_settings(core::UserId user) {
  return first<PreferenceDocument>(conn_.exec(k_select_settings, Params{user}),
                                   read_preference<Row>);
}

Result<std::optional<PreferenceDocument>> PgTx::notification_override(core::UserId user,
                                                                      core::TaskId task) {
  return first<PreferenceDocument>(conn_.exec(k_select_override, Params{user, task}),
                                   read_preference<Row>);
}

Status PgTx::set_notification_settings(const PreferenceDocument& d) {
  return done(conn_.exec(k_set_settings, Params{d.user_id, d.body, d.updated_at}));
}

Status PgTx::set_notification_override(core::TaskId task, const PreferenceDocument& d) {
  return done(conn_.exec(k_set_override, Params{task, d.user_id, d.body, d.updated_at}));
}

Result<bool> PgTx::delete_notification_override(core::UserId user, core::TaskId task) {
  auto res = conn_.exec(k_delete_override, Params{user, task});
  if (!res) return res.error();
  return res->affected() == 1;
}

}  // namespace tickler::store::postgres
