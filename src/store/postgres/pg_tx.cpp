// PgTx: users, tasks (with their tags and search terms) and idempotency keys.
#include "store/postgres/pg_tx.hpp"

#include <algorithm>

#include "store/postgres/search_terms.hpp"
#include "store/postgres/task_query_sql.hpp"

namespace tickler::store::postgres {
namespace {

using core::to_millis;

constexpr Query k_select_user_by_email{
    "select_user_by_email",
    "SELECT id, email, name, password_hash, created_at, token_generation, disabled FROM users "
    "WHERE email = $1"};
constexpr Query k_select_user_by_id{
    "select_user_by_id",
    "SELECT id, email, name, password_hash, created_at, token_generation, disabled FROM users "
    "WHERE id = $1"};
constexpr Query k_select_users{
    "select_users",
    "SELECT id, email, name, password_hash, created_at, token_generation, disabled FROM users "
    "ORDER BY id"};
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
    "INSERT INTO tasks (user_id, title, description, status, priority, tags, due_at, time_zone, "
    "created_at, updated_at, completed_at, version, reminders, recurrence_rrule, recurrence_mode, "
    "series_id, series_start, occurrence_index, search) VALUES ($1, $2, $3, $4, $5, $6::text[], "
    "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::tsvector) RETURNING id"};
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

std::string select_tasks(const char* where) {
  return std::string{"SELECT "} + k_task_columns + " FROM tasks t " + where;
}
const std::string k_task_sql = select_tasks("WHERE t.id = $1 AND t.user_id = $2");
const std::string k_next_in_series_sql = select_tasks(
    "WHERE t.series_id = $1 AND t.occurrence_index > $2 AND t.user_id = $3 "
    "ORDER BY t.occurrence_index LIMIT 1");
const Query k_select_task{"select_task", k_task_sql.c_str()};
const Query k_select_next_in_series{"select_next_in_series", k_next_in_series_sql.c_str()};

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto space = s.find(' ');
    if (space != 0) out.emplace_back(s.substr(0, space));
    if (space == std::string_view::npos) break;
    s.remove_prefix(space + 1);
  }
  return out;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Reminders as "b<minutes>" (before the due) and "a<unix ms>" (at), space-separated: the
// SQLite store's encoding.
std::string encode_reminders(const std::vector<core::ReminderSpec>& reminders) {
  std::string out;
  for (const auto& r : reminders) {
    if (!out.empty()) out += ' ';
    out += r.before_minutes ? "b" + std::to_string(*r.before_minutes)
                            : "a" + std::to_string(to_millis(r.at.value_or(core::Instant{})));
  }
  return out;
}

std::vector<core::ReminderSpec> decode_reminders(std::string_view text) {
  std::vector<core::ReminderSpec> out;
  for (const auto& item : split_words(text)) {
    if (item.size() < 2) continue;
    const auto value = std::stoll(item.substr(1));
    core::ReminderSpec r;
    if (item[0] == 'b') {
      r.before_minutes = static_cast<int>(value);
    } else {
      r.at = core::from_millis(value);
    }
    out.push_back(r);
  }
  return out;
}

// Reads the k_task_columns of a row.
core::Task read_task(const Row& r) {
  core::Task t;
  t.id = r.int64(0);
  t.user_id = r.int64(1);
  t.title = r.text(2);
  t.description = r.text(3);
  t.status = r.int64(4) == 1 ? core::TaskStatus::completed : core::TaskStatus::pending;
  t.priority = static_cast<core::Priority>(r.int64(5));
  t.tags = from_pg_array(r.view(6));
  t.due_at = r.opt_instant(7);
  t.time_zone = r.text(8);
  t.created_at = r.instant(9);
  t.updated_at = r.instant(10);
  t.completed_at = r.opt_instant(11);
  t.version = r.int64(12);
  t.reminders = decode_reminders(r.view(13));
  if (!r.is_null(14)) {
    t.recurrence = core::Recurrence{
        r.text(14),
        core::parse_recurrence_mode(r.text(15)).value_or(core::RecurrenceMode::schedule)};
  }
  t.series_id = r.opt_int64(16);
  t.series_start = r.opt_instant(17);
  t.occurrence_index = static_cast<int>(r.opt_int64(18).value_or(0));
  return t;
}

// Adds reminders, recurrence, series columns and the search terms (seven parameters).
void add_series_and_search(Params& p, const core::Task& t) {
  p.add(encode_reminders(t.reminders));
  if (t.recurrence) {
    p.add(t.recurrence->rrule).add(std::string{core::to_string(t.recurrence->mode)});
  } else {
    p.add(std::nullopt).add(std::nullopt);
  }
  p.add(t.series_id).add(t.series_start);
  p.add(t.series_id ? std::optional<std::int64_t>{t.occurrence_index} : std::nullopt);
  p.add(search_vector(t.title, t.description, join_words(t.tags)));
}

std::int64_t status_code(core::TaskStatus s) {
  return s == core::TaskStatus::completed ? 1 : 0;
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

core::User read_user(const Row& r) {
  return {r.int64(0), r.text(1), r.text(2), r.text(3), r.instant(4), r.int64(5), r.boolean(6)};
}

}  // namespace

Result<std::optional<core::User>> PgTx::user_by_email(std::string_view email) {
  return first<core::User>(conn_.exec(k_select_user_by_email, Params{email}), read_user);
}

Result<std::optional<core::User>> PgTx::user_by_id(core::UserId id) {
  return first<core::User>(conn_.exec(k_select_user_by_id, Params{id}), read_user);
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
  const auto built = build_task_query(query);
  Params params;
  for (const auto& p : built.params) params.add(p);
  auto rows = collect<core::Task>(conn_.exec_text(built.sql, params), read_task);
  if (!rows) return rows.error();
  core::TaskPage page;
  page.items = std::move(*rows);
  if (page.items.size() > static_cast<std::size_t>(query.limit)) {
    page.items.resize(static_cast<std::size_t>(query.limit));
    page.next = core::keyset_of(page.items.back(), query.sort);
  }
  return page;
}

Result<std::vector<core::TagCount>> PgTx::tag_counts(core::UserId user) {
  return collect<core::TagCount>(conn_.exec(k_select_tag_counts, Params{user}), [](const Row& r) {
    return core::TagCount{r.text(0), r.int64(1)};
  });
}

Result<std::optional<IdempotentResponse>> PgTx::idempotent_response(core::UserId user,
                                                                    std::string_view key,
                                                                    core::Instant not_before) {
  return first<IdempotentResponse>(
      conn_.exec(k_select_idempotent, Params{user, key, not_before}), [](const Row& r) {
        return IdempotentResponse{r.text(0), static_cast<int>(r.int64(1)), r.text(2)};
      });
}

Result<std::vector<core::User>> PgTx::users() {
  return collect<core::User>(conn_.exec(k_select_users, Params{}), read_user);
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
  Params p{task.user_id,
           task.title,
           task.description,
           status_code(task.status),
           static_cast<std::int64_t>(task.priority),
           to_pg_array(task.tags),
           task.due_at,
           task.time_zone,
           task.created_at,
           task.updated_at,
           task.completed_at,
           task.version};
  add_series_and_search(p, task);
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
  Params p{task.title,
           task.description,
           status_code(task.status),
           static_cast<std::int64_t>(task.priority),
           to_pg_array(task.tags),
           task.due_at,
           task.time_zone,
           task.updated_at,
           task.completed_at,
           task.version};
  add_series_and_search(p, task);
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
