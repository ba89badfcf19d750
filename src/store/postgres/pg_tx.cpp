// PgTx: users, tasks (with their tags and search terms) and idempotency keys.
#include "store/postgres/pg_tx.hpp"

#include <algorithm>

#include "store/postgres/search_terms.hpp"
#include "store/postgres/task_listing.hpp"
#include "store/row_codec.hpp"

namespace tickler::store::postgres {
namespace {

const std::string k_user_by_email_sql =
    select_columns(k_user_columns, " FROM users WHERE email = $1");
const std::string k_user_by_id_sql = select_columns(k_user_columns, " FROM users WHERE id = $1");
const std::string k_users_sql = select_columns(k_user_columns, " FROM users ORDER BY id");
const Query k_select_user_by_email{"select_user_by_email", k_user_by_email_sql.c_str()};
const Query k_select_user_by_id{"select_user_by_id", k_user_by_id_sql.c_str()};
const Query k_select_users{"select_users", k_users_sql.c_str()};
constexpr Query k_insert_user{
    "insert_user",
    "INSERT INTO users (email, name, password_hash, created_at, token_generation, disabled) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
constexpr Query k_update_user{
    "update_user",
    "UPDATE users SET name = $2, password_hash = $3, token_generation = $4, disabled = $5 "
    "WHERE id = $1"};
// The api's part of an account; tasks, tags and idempotency keys go by ON DELETE CASCADE. The
// user's outbox rows stay: they are published before the deletion's own events (per-user order).
constexpr Query k_delete_user{"delete_user", "DELETE FROM users WHERE id = $1"};
constexpr Query k_insert_invite{
    "insert_invite", "INSERT INTO invites (code_hash, created_at, expires_at) VALUES ($1, $2, $3)"};
constexpr Query k_use_invite{
    "use_invite",
    "UPDATE invites SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2"};
constexpr Query k_insert_task{
    "insert_task",
    "INSERT INTO tasks (user_id, created_at, title, description, status, priority, tags, due_at, "
    "time_zone, updated_at, completed_at, version, reminders, recurrence_rrule, recurrence_mode, "
    "series_id, series_start, occurrence_index, search) VALUES ($1, $2, $3, $4, $5, $6, "
    "$7::text[], $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::tsvector) "
    "RETURNING id"};
constexpr Query k_update_task{
    "update_task",
    "UPDATE tasks SET title = $1, description = $2, status = $3, priority = $4, "
    "tags = $5::text[], due_at = $6, time_zone = $7, updated_at = $8, completed_at = $9, "
    "version = $10, reminders = $11, recurrence_rrule = $12, recurrence_mode = $13, "
    "series_id = $14, series_start = $15, occurrence_index = $16, search = $17::tsvector "
    "WHERE id = $18 AND user_id = $19"};
constexpr Query k_start_series{"start_series", "UPDATE tasks SET series_id = id WHERE id = $1"};
constexpr Query k_delete_task{"delete_task", "DELETE FROM tasks WHERE id = $1 AND user_id = $2"};
constexpr Query k_select_tag_counts{
    "select_tag_counts",
    "SELECT tag, count(*) AS n FROM tasks t CROSS JOIN LATERAL unnest(t.tags) AS tag "
    "WHERE t.user_id = $1 GROUP BY tag ORDER BY n DESC, tag COLLATE \"C\" ASC"};
constexpr Query k_select_idempotent{"select_idempotent",
                                    "SELECT request_hash, status, body FROM idempotency_keys "
                                    "WHERE user_id = $1 AND key = $2 AND created_at >= $3"};
constexpr Query k_upsert_idempotent{
    "upsert_idempotent",
    "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, key) DO UPDATE SET "
    "request_hash = excluded.request_hash, status = excluded.status, body = excluded.body, "
    "created_at = excluded.created_at"};
constexpr Query k_purge_idempotency{"purge_idempotency",
                                    "DELETE FROM idempotency_keys WHERE created_at < $1"};

const std::string k_task_sql =
    select_columns(k_task_columns, " FROM tasks t WHERE t.id = $1 AND t.user_id = $2");
const std::string k_next_in_series_sql = select_columns(
    k_task_columns,
    " FROM tasks t WHERE t.series_id = $1 AND t.occurrence_index > $2 AND t.user_id = $3 "
    "ORDER BY t.occurrence_index LIMIT 1");
const Query k_select_task{"select_task", k_task_sql.c_str()};
const Query k_select_next_in_series{"select_next_in_series", k_next_in_series_sql.c_str()};

// The tags column is a text[] (its owner's keys are GIN-indexed for tag filters).
core::Task read_task(const Row& r) {
  return store::read_task(r, from_pg_array);
}

// Adds the columns an insert and an update write (add_task_columns), then the search terms.
void add_task_and_search(Params& p, const core::Task& t) {
  add_task_columns(p, t, to_pg_array(t.tags));
  p.add(search_vector(t.title, t.description, join_words(t.tags)));
}

// The SQLite schema keys tags by (user, tag, task), so a task cannot carry a tag twice.
Status unique_tags(const core::Task& t) {
  auto sorted = t.tags;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return core::make_error(core::Errc::conflict, "a task carries a tag twice");
  }
  return {};
}

}  // namespace

Result<std::optional<core::User>> PgTx::user_by_email(std::string_view email) {
  return first<core::User>(conn_.exec(k_select_user_by_email, Params{email}), read_user<Row>);
}

Result<std::optional<core::User>> PgTx::user_by_id(core::UserId id) {
  return first<core::User>(conn_.exec(k_select_user_by_id, Params{id}), read_user<Row>);
}

Result<core::Task> PgTx::task(core::UserId user, core::TaskId id) {
  auto t = first<core::Task>(conn_.exec(k_select_task, Params{id, user}), read_task);
  if (!t) return t.error();
  if (!*t) return core::make_error(core::Errc::not_found, "task not found");
  return std::move(**t);
}

Result<std::optional<core::Task>> PgTx::next_in_series(core::UserId user, core::TaskId series_id,
                                                       int after_index) {
  return first<core::Task>(
      conn_.exec(k_select_next_in_series, Params{series_id, after_index, user}), read_task);
}

Result<core::TaskPage> PgTx::tasks(const core::TaskQuery& query) {
  return list_tasks(conn_, query);
}

Result<std::vector<core::TagCount>> PgTx::tag_counts(core::UserId user) {
  return collect<core::TagCount>(conn_.exec(k_select_tag_counts, Params{user}),
                                 read_tag_count<Row>);
}

Result<std::optional<IdempotentResponse>> PgTx::idempotent_response(core::UserId user,
                                                                    std::string_view key,
                                                                    core::Instant not_before) {
  return first<IdempotentResponse>(conn_.exec(k_select_idempotent, Params{user, key, not_before}),
                                   read_idempotent<Row>);
}

Result<std::vector<core::User>> PgTx::users() {
  return collect<core::User>(conn_.exec(k_select_users, Params{}), read_user<Row>);
}

Status PgTx::update_user(const core::User& user) {
  auto res = conn_.exec(k_update_user, Params{user.id, user.name, user.password_hash,
                                              user.token_generation, user.disabled});
  if (!res) return res.error();
  if (res->affected() == 0) return core::make_error(core::Errc::not_found, "no such user");
  return {};
}

Status PgTx::delete_user(core::UserId id) {
  return done(conn_.exec(k_delete_user, Params{id}));
}

Status PgTx::insert_invite(const Invite& invite) {
  return done(
      conn_.exec(k_insert_invite, Params{invite.code_hash, invite.created_at, invite.expires_at}));
}

Result<bool> PgTx::use_invite(std::string_view code_hash, core::Instant at) {
  auto res = conn_.exec(k_use_invite, Params{code_hash, at});
  if (!res) return res.error();
  return res->affected() == 1;
}

Result<core::User> PgTx::insert_user(core::User user) {
  auto res =
      conn_.exec(k_insert_user, Params{user.email, user.name, user.password_hash, user.created_at,
                                       user.token_generation, user.disabled});
  if (!res) return res.error();
  user.id = res->row(0).int64(0);
  return user;
}

Result<core::Task> PgTx::insert_task(core::Task task) {
  if (auto st = unique_tags(task); !st) return st.error();
  Params p;
  p.reserve(19);
  p.add(task.user_id).add(task.created_at);
  add_task_and_search(p, task);
  auto res = conn_.exec(k_insert_task, p);
  if (!res) return res.error();
  task.id = res->row(0).int64(0);
  if (task.recurrence && !task.series_id) {
    // A new recurring task starts its own series.
    if (auto st = done(conn_.exec(k_start_series, Params{task.id})); !st) return st.error();
    task.series_id = task.id;
  }
  return task;
}

Status PgTx::update_task(const core::Task& task) {
  if (auto st = unique_tags(task); !st) return st;
  Params p;
  p.reserve(19);
  add_task_and_search(p, task);
  p.add(task.id).add(task.user_id);
  auto res = conn_.exec(k_update_task, p);
  if (!res) return res.error();
  if (res->affected() == 0) return core::make_error(core::Errc::not_found, "task not found");
  return {};
}

Status PgTx::delete_task(core::UserId user, core::TaskId id) {
  auto res = conn_.exec(k_delete_task, Params{id, user});
  if (!res) return res.error();
  if (res->affected() == 0) return core::make_error(core::Errc::not_found, "task not found");
  return {};
}

Status PgTx::save_idempotent_response(core::UserId user, std::string_view key,
                                      const IdempotentResponse& response, core::Instant at) {
  return done(conn_.exec(k_upsert_idempotent, Params{user, key, response.request_hash,
                                                     response.status, response.body, at}));
}

Status PgTx::purge_idempotency(core::Instant older_than) {
  return done(conn_.exec(k_purge_idempotency, Params{older_than}));
}

}  // namespace tickler::store::postgres
