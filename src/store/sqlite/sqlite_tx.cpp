#include "store/sqlite/sqlite_tx.hpp"

#include <initializer_list>

#include "store/row_codec.hpp"
#include "store/sqlite/task_listing.hpp"

namespace tickler::store::sqlite {
namespace {

using core::to_millis;

// Named statements (userver style): the SQL a transaction runs, in one place.
const std::string k_select_user_by_email =
    select_columns(k_user_columns, " FROM users WHERE email = ?");
const std::string k_select_user_by_id = select_columns(k_user_columns, " FROM users WHERE id = ?");
const std::string k_select_users = select_columns(k_user_columns, " FROM users ORDER BY id");
constexpr const char* k_insert_user =
    "INSERT INTO users (email, name, password_hash, created_at, token_generation, disabled) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* k_update_user =
    "UPDATE users SET name = ?, password_hash = ?, token_generation = ?, disabled = ? "
    "WHERE id = ?";
// The whole account in the transaction of delete_user: children before their parents.
constexpr std::initializer_list<const char*> k_delete_user_everywhere{
    "DELETE FROM deliveries WHERE reminder_id IN (SELECT id FROM reminders WHERE user_id = ?1)",
    "DELETE FROM reminders WHERE user_id = ?1",
    "DELETE FROM notifications WHERE user_id = ?1",
    "DELETE FROM webhooks WHERE user_id = ?1",
    "DELETE FROM email_channels WHERE user_id = ?1",
    "DELETE FROM push_subscriptions WHERE user_id = ?1",
    "DELETE FROM ntfy_channels WHERE user_id = ?1",
    "DELETE FROM audit_log WHERE user_id = ?1",
    "DELETE FROM audit_heads WHERE user_id = ?1",
    "DELETE FROM outbox WHERE user_id = ?1 AND sent_at IS NULL",
    "DELETE FROM dead_letters WHERE user_id = ?1",
    "DELETE FROM users WHERE id = ?1"};  // tasks, tags, idempotency keys: ON DELETE CASCADE
constexpr const char* k_insert_invite =
    "INSERT INTO invites (code_hash, created_at, expires_at) VALUES (?, ?, ?)";
constexpr const char* k_use_invite =
    "UPDATE invites SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2";
constexpr const char* k_insert_task =
    "INSERT INTO tasks (user_id, created_at, title, description, status, priority, tags, due_at, "
    "time_zone, updated_at, completed_at, version, reminders, recurrence_rrule, recurrence_mode, "
    "series_id, series_start, occurrence_index) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_update_task =
    "UPDATE tasks SET title = ?, description = ?, status = ?, priority = ?, tags = ?, due_at = ?, "
    "time_zone = ?, updated_at = ?, completed_at = ?, version = ?, reminders = ?, "
    "recurrence_rrule = ?, recurrence_mode = ?, series_id = ?, series_start = ?, "
    "occurrence_index = ? WHERE id = ? AND user_id = ?";
constexpr const char* k_start_series = "UPDATE tasks SET series_id = id WHERE id = ?";
constexpr const char* k_delete_task = "DELETE FROM tasks WHERE id = ? AND user_id = ?";
// A tag's row copies its task's created_at, priority and status (task_tags walks a tag in created
// order), bound from the task the same transaction writes; update_task rewrites them with it.
constexpr const char* k_insert_tag =
    "INSERT INTO task_tags (user_id, tag, task_id, created_at, priority, status) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* k_delete_tags = "DELETE FROM task_tags WHERE task_id = ?";
constexpr const char* k_select_tag_counts =
    "SELECT tag, count(*) AS n FROM task_tags WHERE user_id = ? GROUP BY tag "
    "ORDER BY n DESC, tag ASC";
constexpr const char* k_select_idempotent =
    "SELECT request_hash, status, body FROM idempotency_keys "
    "WHERE user_id = ? AND key = ? AND created_at >= ?";
constexpr const char* k_upsert_idempotent =
    "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET "
    "request_hash = excluded.request_hash, status = excluded.status, body = excluded.body, "
    "created_at = excluded.created_at";
constexpr const char* k_purge_idempotency = "DELETE FROM idempotency_keys WHERE created_at < ?";

// The tags column holds the tags as space-separated words (task_tags indexes them).
core::Task read_task(const Statement& s) {
  return store::read_task(s, split_words);
}

}  // namespace

Result<std::optional<core::User>> SqliteTx::user_by_email(std::string_view email) {
  auto s = bound(conn_, k_select_user_by_email, email);
  if (!s) return s.error();
  return first<core::User>(*s, read_user<Statement>);
}

Result<std::optional<core::User>> SqliteTx::user_by_id(core::UserId id) {
  auto s = bound(conn_, k_select_user_by_id, id);
  if (!s) return s.error();
  return first<core::User>(*s, read_user<Statement>);
}

Result<std::optional<core::Task>> SqliteTx::next_in_series(core::UserId user,
                                                           core::TaskId series_id,
                                                           int after_index) {
  static const std::string sql =
      select_columns(k_task_columns,
                     " FROM tasks t WHERE t.series_id = ? AND t.occurrence_index > ? "
                     "AND t.user_id = ? ORDER BY t.occurrence_index LIMIT 1");
  auto s = bound(conn_, sql, series_id, std::int64_t{after_index}, user);
  if (!s) return s.error();
  return first<core::Task>(*s, read_task);
}

Result<core::Task> SqliteTx::task(core::UserId user, core::TaskId id) {
  static const std::string sql =
      select_columns(k_task_columns, " FROM tasks t WHERE t.id = ? AND t.user_id = ?");
  auto s = bound(conn_, sql, id, user);
  if (!s) return s.error();
  auto t = first<core::Task>(*s, read_task);
  if (!t) return t.error();
  if (!*t) return core::make_error(core::Errc::not_found, "task not found");
  return std::move(**t);
}

Result<core::TaskPage> SqliteTx::tasks(const core::TaskQuery& query) {
  return list_tasks(conn_, query);
}

Result<std::vector<core::TagCount>> SqliteTx::tag_counts(core::UserId user) {
  auto s = bound(conn_, k_select_tag_counts, user);
  if (!s) return s.error();
  return collect<core::TagCount>(*s, read_tag_count<Statement>);
}

Result<std::optional<IdempotentResponse>> SqliteTx::idempotent_response(core::UserId user,
                                                                        std::string_view key,
                                                                        core::Instant not_before) {
  auto s = bound(conn_, k_select_idempotent, user, key, not_before);
  if (!s) return s.error();
  return first<IdempotentResponse>(*s, read_idempotent<Statement>);
}

Result<std::vector<core::User>> SqliteTx::users() {
  auto s = conn_.prepare(k_select_users);
  if (!s) return s.error();
  return collect<core::User>(*s, read_user<Statement>);
}

Status SqliteTx::update_user(const core::User& user) {
  auto s = bound(conn_, k_update_user, user.name, user.password_hash, user.token_generation,
                 std::int64_t{user.disabled ? 1 : 0}, user.id);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st;
  if (sqlite3_changes(conn_.handle()) == 0) {
    return core::make_error(core::Errc::not_found, "no such user");
  }
  return {};
}

Status SqliteTx::delete_for_user(std::initializer_list<const char*> statements, core::UserId user) {
  for (const char* sql : statements) {
    auto s = bound(conn_, sql, user);
    if (!s) return s.error();
    if (auto st = s->run(); !st) return st;
  }
  return {};
}

Status SqliteTx::delete_user(core::UserId id) {
  return delete_for_user(k_delete_user_everywhere, id);
}

Status SqliteTx::insert_invite(const Invite& invite) {
  auto s = bound(conn_, k_insert_invite, invite.code_hash, invite.created_at, invite.expires_at);
  if (!s) return s.error();
  return s->run();
}

Result<bool> SqliteTx::use_invite(std::string_view code_hash, core::Instant at) {
  auto s = bound(conn_, k_use_invite, code_hash, at);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<core::User> SqliteTx::insert_user(core::User user) {
  auto s = bound(conn_, k_insert_user, user.email, user.name, user.password_hash, user.created_at,
                 user.token_generation, std::int64_t{user.disabled ? 1 : 0});
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  user.id = conn_.last_insert_id();
  return user;
}

Status SqliteTx::insert_tags(const core::Task& task) {
  for (const auto& tag : task.tags) {
    auto s = bound(conn_, k_insert_tag, task.user_id, tag, task.id, task.created_at,
                   static_cast<std::int64_t>(task.priority), status_code(task.status));
    if (!s) return s.error();
    if (auto st = s->run(); !st) return st;
  }
  return {};
}

Result<core::Task> SqliteTx::insert_task(core::Task task) {
  auto s = conn_.prepare(k_insert_task);
  if (!s) return s.error();
  Binder b{*s, 1};
  b.add(task.user_id).add(task.created_at);
  add_task_columns(b, task, join_words(task.tags));
  if (auto st = s->run(); !st) return st.error();
  task.id = conn_.last_insert_id();
  if (task.recurrence && !task.series_id) {
    // A new recurring task starts its own series.
    auto start = bound(conn_, k_start_series, task.id);
    if (!start) return start.error();
    if (auto st = start->run(); !st) return st.error();
    task.series_id = task.id;
  }
  if (auto st = insert_tags(task); !st) return st.error();
  return task;
}

Status SqliteTx::update_task(const core::Task& task) {
  auto s = conn_.prepare(k_update_task);
  if (!s) return s.error();
  Binder b{*s, 1};
  add_task_columns(b, task, join_words(task.tags));
  b.add(task.id).add(task.user_id);
  if (auto st = s->run(); !st) return st;
  if (sqlite3_changes(conn_.handle()) == 0) {
    return core::make_error(core::Errc::not_found, "task not found");
  }
  auto del = bound(conn_, k_delete_tags, task.id);
  if (!del) return del.error();
  if (auto st = del->run(); !st) return st;
  return insert_tags(task);
}

Status SqliteTx::delete_task(core::UserId user, core::TaskId id) {
  auto s = bound(conn_, k_delete_task, id, user);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st;
  if (sqlite3_changes(conn_.handle()) == 0) {
    return core::make_error(core::Errc::not_found, "task not found");
  }
  return {};
}

Status SqliteTx::save_idempotent_response(core::UserId user, std::string_view key,
                                          const IdempotentResponse& response, core::Instant at) {
  auto s = bound(conn_, k_upsert_idempotent, user, key, response.request_hash,
                 std::int64_t{response.status}, response.body, at);
  if (!s) return s.error();
  return s->run();
}

Status SqliteTx::purge_idempotency(core::Instant older_than) {
  auto s = bound(conn_, k_purge_idempotency, older_than);
  if (!s) return s.error();
  return s->run();
}

}  // namespace tickler::store::sqlite
