#include "store/sqlite/sqlite_tx.hpp"

#include <array>

#include "store/sqlite/task_query_sql.hpp"

namespace tickler::store::sqlite {
namespace {

using core::to_millis;

// Named statements (userver style): the SQL a transaction runs, in one place.
constexpr const char* k_select_user_by_email =
    "SELECT id, email, name, password_hash, created_at, token_generation, disabled FROM users "
    "WHERE email = ?";
constexpr const char* k_select_user_by_id =
    "SELECT id, email, name, password_hash, created_at, token_generation, disabled FROM users "
    "WHERE id = ?";
constexpr const char* k_select_users =
    "SELECT id, email, name, password_hash, created_at, token_generation, disabled FROM users "
    "ORDER BY id";
constexpr const char* k_insert_user =
    "INSERT INTO users (email, name, password_hash, created_at, token_generation, disabled) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* k_update_user =
    "UPDATE users SET name = ?, password_hash = ?, token_generation = ?, disabled = ? "
    "WHERE id = ?";
// The whole account in the transaction of delete_user: children before their parents.
constexpr std::array<const char*, 9> k_delete_user_everywhere{
    "DELETE FROM deliveries WHERE reminder_id IN (SELECT id FROM reminders WHERE user_id = ?1)",
    "DELETE FROM reminders WHERE user_id = ?1",
    "DELETE FROM notifications WHERE user_id = ?1",
    "DELETE FROM webhooks WHERE user_id = ?1",
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
    "INSERT INTO tasks (user_id, title, description, status, priority, tags, due_at, time_zone, "
    "created_at, updated_at, completed_at, version, reminders, recurrence_rrule, recurrence_mode, "
    "series_id, series_start, occurrence_index) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_update_task =
    "UPDATE tasks SET title = ?, description = ?, status = ?, priority = ?, tags = ?, due_at = ?, "
    "time_zone = ?, updated_at = ?, completed_at = ?, version = ?, reminders = ?, "
    "recurrence_rrule = ?, recurrence_mode = ?, series_id = ?, series_start = ?, "
    "occurrence_index = ? WHERE id = ? AND user_id = ?";
constexpr const char* k_start_series = "UPDATE tasks SET series_id = id WHERE id = ?";
constexpr const char* k_delete_task = "DELETE FROM tasks WHERE id = ? AND user_id = ?";
constexpr const char* k_insert_tag =
    "INSERT INTO task_tags (user_id, tag, task_id) VALUES (?, ?, ?)";
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

std::string join_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::vector<std::string> split_tags(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto space = s.find(' ');
    if (space != 0) out.emplace_back(s.substr(0, space));
    if (space == std::string_view::npos) break;
    s.remove_prefix(space + 1);
  }
  return out;
}

// Reminders as "b<minutes>" (before the due) and "a<unix ms>" (at), space-separated.
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
  for (const auto& item : split_tags(text)) {
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

// Reads the k_task_columns of the current row.
core::Task read_task(const Statement& s) {
  core::Task t;
  t.id = s.int64(0);
  t.user_id = s.int64(1);
  t.title = s.text(2);
  t.description = s.text(3);
  t.status = s.int64(4) == 1 ? core::TaskStatus::completed : core::TaskStatus::pending;
  t.priority = static_cast<core::Priority>(s.int64(5));
  t.tags = split_tags(s.text(6));
  t.due_at = s.opt_instant(7);
  t.time_zone = s.text(8);
  t.created_at = core::from_millis(s.int64(9));
  t.updated_at = core::from_millis(s.int64(10));
  t.completed_at = s.opt_instant(11);
  t.version = s.int64(12);
  t.reminders = decode_reminders(s.text(13));
  if (!s.is_null(14)) {
    t.recurrence = core::Recurrence{
        s.text(14),
        core::parse_recurrence_mode(s.text(15)).value_or(core::RecurrenceMode::schedule)};
  }
  t.series_id = s.opt_int64(16);
  t.series_start = s.opt_instant(17);
  t.occurrence_index = static_cast<int>(s.opt_int64(18).value_or(0));
  return t;
}

// Binds reminders, recurrence and series columns (six parameters from `first`).
void bind_series(Statement& s, int first, const core::Task& t) {
  s.bind(first, encode_reminders(t.reminders));
  if (t.recurrence) {
    s.bind(first + 1, t.recurrence->rrule).bind(first + 2, core::to_string(t.recurrence->mode));
  } else {
    s.bind(first + 1, std::nullopt).bind(first + 2, std::nullopt);
  }
  s.bind(first + 3, t.series_id).bind(first + 4, t.series_start);
  s.bind(first + 5, t.series_id ? std::optional<std::int64_t>{t.occurrence_index} : std::nullopt);
}

core::User read_user(const Statement& s) {
  return {s.int64(0), s.text(1),      s.text(2), s.text(3), core::from_millis(s.int64(4)),
          s.int64(5), s.int64(6) != 0};
}

}  // namespace

Result<std::optional<core::User>> SqliteTx::one_user(const std::string& sql, auto bind_value) {
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  s->bind(1, bind_value);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<core::User>{};
  return std::optional<core::User>{read_user(*s)};
}

Result<std::optional<core::User>> SqliteTx::user_by_email(std::string_view email) {
  return one_user(k_select_user_by_email, email);
}

Result<std::optional<core::User>> SqliteTx::user_by_id(core::UserId id) {
  return one_user(k_select_user_by_id, id);
}

Result<std::optional<core::Task>> SqliteTx::next_in_series(core::UserId user,
                                                           core::TaskId series_id,
                                                           int after_index) {
  static const std::string sql = std::string{"SELECT "} + k_task_columns +
                                 " FROM tasks t WHERE t.series_id = ? AND t.occurrence_index > ? "
                                 "AND t.user_id = ? ORDER BY t.occurrence_index LIMIT 1";
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  s->bind(1, series_id).bind(2, std::int64_t{after_index}).bind(3, user);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<core::Task>{};
  return std::optional<core::Task>{read_task(*s)};
}

Result<core::Task> SqliteTx::task(core::UserId user, core::TaskId id) {
  static const std::string sql =
      std::string{"SELECT "} + k_task_columns + " FROM tasks t WHERE t.id = ? AND t.user_id = ?";
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  s->bind(1, id).bind(2, user);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return core::make_error(core::Errc::not_found, "task not found");
  return read_task(*s);
}

Result<core::TaskPage> SqliteTx::tasks(const core::TaskQuery& query) {
  const auto built = build_task_query(query);
  auto s = conn_.prepare(built.sql);
  if (!s) return s.error();
  int i = 1;
  for (const auto& p : built.params) {
    std::visit([&](const auto& v) { s->bind(i, v); }, p);
    ++i;
  }
  core::TaskPage page;
  page.items.reserve(static_cast<std::size_t>(query.limit));
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    if (page.items.size() == static_cast<std::size_t>(query.limit)) {
      page.next = core::keyset_of(page.items.back(), query.sort);
      break;
    }
    page.items.push_back(read_task(*s));
  }
  return page;
}

Result<std::vector<core::TagCount>> SqliteTx::tag_counts(core::UserId user) {
  auto s = conn_.prepare(k_select_tag_counts);
  if (!s) return s.error();
  s->bind(1, user);
  std::vector<core::TagCount> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({s->text(0), s->int64(1)});
  }
  return out;
}

Result<std::optional<IdempotentResponse>> SqliteTx::idempotent_response(core::UserId user,
                                                                        std::string_view key,
                                                                        core::Instant not_before) {
  auto s = conn_.prepare(k_select_idempotent);
  if (!s) return s.error();
  s->bind(1, user).bind(2, key).bind(3, to_millis(not_before));
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<IdempotentResponse>{};
  return std::optional<IdempotentResponse>{
      IdempotentResponse{s->text(0), static_cast<int>(s->int64(1)), s->text(2)}};
}

Result<std::vector<core::User>> SqliteTx::users() {
  auto s = conn_.prepare(k_select_users);
  if (!s) return s.error();
  std::vector<core::User> out;
  auto st = s->each_row([&](const Statement& row) -> Status {
    out.push_back(read_user(row));
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status SqliteTx::update_user(const core::User& user) {
  auto s = conn_.prepare(k_update_user);
  if (!s) return s.error();
  s->bind(1, user.name).bind(2, user.password_hash).bind(3, user.token_generation);
  s->bind(4, std::int64_t{user.disabled ? 1 : 0}).bind(5, user.id);
  if (auto st = s->run(); !st) return st;
  if (sqlite3_changes(conn_.handle()) == 0) {
    return core::make_error(core::Errc::not_found, "no such user");
  }
  return {};
}

Status SqliteTx::delete_user(core::UserId id) {
  for (const char* sql : k_delete_user_everywhere) {
    auto s = conn_.prepare(sql);
    if (!s) return s.error();
    s->bind(1, id);
    if (auto st = s->run(); !st) return st;
  }
  return {};
}

Status SqliteTx::insert_invite(const Invite& invite) {
  auto s = conn_.prepare(k_insert_invite);
  if (!s) return s.error();
  s->bind(1, invite.code_hash).bind(2, invite.created_at).bind(3, invite.expires_at);
  return s->run();
}

Result<bool> SqliteTx::use_invite(std::string_view code_hash, core::Instant at) {
  auto s = conn_.prepare(k_use_invite);
  if (!s) return s.error();
  s->bind(1, code_hash).bind(2, at);
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<core::User> SqliteTx::insert_user(core::User user) {
  auto s = conn_.prepare(k_insert_user);
  if (!s) return s.error();
  s->bind(1, user.email).bind(2, user.name).bind(3, user.password_hash);
  s->bind(4, to_millis(user.created_at)).bind(5, user.token_generation);
  s->bind(6, std::int64_t{user.disabled ? 1 : 0});
  if (auto st = s->run(); !st) return st.error();
  user.id = conn_.last_insert_id();
  return user;
}

Status SqliteTx::insert_tags(const core::Task& task) {
  for (const auto& tag : task.tags) {
    auto s = conn_.prepare(k_insert_tag);
    if (!s) return s.error();
    s->bind(1, task.user_id).bind(2, tag).bind(3, task.id);
    if (auto st = s->run(); !st) return st;
  }
  return {};
}

Result<core::Task> SqliteTx::insert_task(core::Task task) {
  auto s = conn_.prepare(k_insert_task);
  if (!s) return s.error();
  s->bind(1, task.user_id).bind(2, task.title).bind(3, task.description);
  s->bind(4, std::int64_t{task.status == core::TaskStatus::completed ? 1 : 0});
  s->bind(5, static_cast<std::int64_t>(task.priority)).bind(6, join_tags(task.tags));
  s->bind(7, task.due_at).bind(8, task.time_zone);
  s->bind(9, to_millis(task.created_at)).bind(10, to_millis(task.updated_at));
  s->bind(11, task.completed_at).bind(12, task.version);
  bind_series(*s, 13, task);
  if (auto st = s->run(); !st) return st.error();
  task.id = conn_.last_insert_id();
  if (task.recurrence && !task.series_id) {
    // A new recurring task starts its own series.
    auto start = conn_.prepare(k_start_series);
    if (!start) return start.error();
    start->bind(1, task.id);
    if (auto st = start->run(); !st) return st.error();
    task.series_id = task.id;
  }
  if (auto st = insert_tags(task); !st) return st.error();
  return task;
}

Status SqliteTx::update_task(const core::Task& task) {
  auto s = conn_.prepare(k_update_task);
  if (!s) return s.error();
  s->bind(1, task.title).bind(2, task.description);
  s->bind(3, std::int64_t{task.status == core::TaskStatus::completed ? 1 : 0});
  s->bind(4, static_cast<std::int64_t>(task.priority)).bind(5, join_tags(task.tags));
  s->bind(6, task.due_at).bind(7, task.time_zone);
  s->bind(8, to_millis(task.updated_at)).bind(9, task.completed_at);
  s->bind(10, task.version);
  bind_series(*s, 11, task);
  s->bind(17, task.id).bind(18, task.user_id);
  if (auto st = s->run(); !st) return st;
  if (sqlite3_changes(conn_.handle()) == 0) {
    return core::make_error(core::Errc::not_found, "task not found");
  }
  auto del = conn_.prepare(k_delete_tags);
  if (!del) return del.error();
  del->bind(1, task.id);
  if (auto st = del->run(); !st) return st;
  return insert_tags(task);
}

Status SqliteTx::delete_task(core::UserId user, core::TaskId id) {
  auto s = conn_.prepare(k_delete_task);
  if (!s) return s.error();
  s->bind(1, id).bind(2, user);
  if (auto st = s->run(); !st) return st;
  if (sqlite3_changes(conn_.handle()) == 0) {
    return core::make_error(core::Errc::not_found, "task not found");
  }
  return {};
}

Status SqliteTx::save_idempotent_response(core::UserId user, std::string_view key,
                                          const IdempotentResponse& response, core::Instant at) {
  auto s = conn_.prepare(k_upsert_idempotent);
  if (!s) return s.error();
  s->bind(1, user).bind(2, key).bind(3, response.request_hash);
  s->bind(4, std::int64_t{response.status}).bind(5, response.body).bind(6, to_millis(at));
  return s->run();
}

Status SqliteTx::purge_idempotency(core::Instant older_than) {
  auto s = conn_.prepare(k_purge_idempotency);
  if (!s) return s.error();
  s->bind(1, to_millis(older_than));
  return s->run();
}

}  // namespace tickler::store::sqlite
