// SqliteTx: the notifier's reminders, notifications, webhooks and deliveries.
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

using core::to_millis;

constexpr const char* k_reminder_columns =
    "id, task_id, user_id, title, due_at, remind_at, state, fired_at";
constexpr const char* k_upsert_reminder =
    "INSERT INTO reminders (id, task_id, user_id, title, due_at, remind_at, state, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, 'scheduled', ?) ON CONFLICT (id) DO UPDATE SET "
    "title = excluded.title, due_at = excluded.due_at, remind_at = excluded.remind_at, "
    "state = CASE WHEN state = 'fired' THEN 'fired' ELSE 'scheduled' END";
constexpr const char* k_cancel_reminder =
    "UPDATE reminders SET state = 'cancelled' WHERE id = ? AND state = 'scheduled'";
constexpr const char* k_fire_reminder =
    "UPDATE reminders SET state = 'fired', fired_at = ? "
    "WHERE id = ? AND state = 'scheduled' AND remind_at <= ? "
    "RETURNING id, task_id, user_id, title, due_at, remind_at, state, fired_at";
constexpr const char* k_insert_notification =
    "INSERT INTO notifications (user_id, task_id, reminder_id, title, remind_at, fired_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* k_mark_read =
    "UPDATE notifications SET read_at = coalesce(read_at, ?) WHERE id = ? AND user_id = ?";
constexpr const char* k_set_webhook =
    "INSERT INTO webhooks (user_id, url, secret, created_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (user_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, "
    "created_at = excluded.created_at";
constexpr const char* k_delete_webhook = "DELETE FROM webhooks WHERE user_id = ?";
constexpr const char* k_select_webhook =
    "SELECT user_id, url, secret, created_at FROM webhooks WHERE user_id = ?";
constexpr const char* k_upsert_delivery =
    "INSERT INTO deliveries (reminder_id, channel, state, attempts, last_error, next_attempt, "
    "delivered_at, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (reminder_id, channel) DO UPDATE SET "
    "state = excluded.state, attempts = excluded.attempts, last_error = excluded.last_error, "
    "next_attempt = excluded.next_attempt, delivered_at = excluded.delivered_at";
constexpr const char* k_pending_deliveries =
    "SELECT reminder_id, channel, state, attempts, last_error, next_attempt, delivered_at, "
    "user_id, created_at FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id, channel "
    "ORDER BY created_at, reminder_id) AS place FROM deliveries WHERE state = 'pending') "
    "WHERE place = 1 AND next_attempt <= ? ORDER BY next_attempt, created_at LIMIT ?";

ReminderRow read_reminder(const Statement& s) {
  return {s.text(0), s.int64(1),       s.int64(2),
          s.text(3), s.opt_instant(4), core::from_millis(s.int64(5)),
          s.text(6), s.opt_instant(7)};
}

template <class Row, class Read>
Result<std::vector<Row>> collect(Statement& s, Read read) {
  std::vector<Row> out;
  auto st = s.each_row([&](const Statement& row) -> Status {
    out.push_back(read(row));
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace

Result<std::vector<ReminderRow>> SqliteTx::due_reminders(core::Instant at, int limit) {
  static const std::string sql = std::string{"SELECT "} + k_reminder_columns +
                                 " FROM reminders WHERE state = 'scheduled' AND remind_at <= ? "
                                 "ORDER BY remind_at LIMIT ?";
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  s->bind(1, to_millis(at)).bind(2, std::int64_t{limit});
  return collect<ReminderRow>(*s, read_reminder);
}

Result<std::vector<ReminderRow>> SqliteTx::scheduled_reminders() {
  static const std::string sql = std::string{"SELECT "} + k_reminder_columns +
                                 " FROM reminders WHERE state = 'scheduled' ORDER BY remind_at";
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  return collect<ReminderRow>(*s, read_reminder);
}

Result<std::optional<ReminderRow>> SqliteTx::reminder(std::string_view id) {
  static const std::string sql =
      std::string{"SELECT "} + k_reminder_columns + " FROM reminders WHERE id = ?";
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  s->bind(1, id);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<ReminderRow>{};
  return std::optional<ReminderRow>{read_reminder(*s)};
}

Result<std::vector<NotificationRow>> SqliteTx::notifications(
    core::UserId user, bool unread_only, int limit, std::optional<std::int64_t> before_id) {
  static const std::string sql =
      "SELECT id, user_id, task_id, reminder_id, title, remind_at, fired_at, read_at "
      "FROM notifications WHERE user_id = ? AND (? = 0 OR read_at IS NULL) AND (? IS NULL OR id < "
      "?) "
      "ORDER BY id DESC LIMIT ?";
  auto s = conn_.prepare(sql);
  if (!s) return s.error();
  s->bind(1, user).bind(2, std::int64_t{unread_only ? 1 : 0}).bind(3, before_id).bind(4, before_id);
  s->bind(5, std::int64_t{limit});
  return collect<NotificationRow>(*s, [](const Statement& r) {
    return NotificationRow{r.int64(0),
                           r.int64(1),
                           r.int64(2),
                           r.text(3),
                           r.text(4),
                           core::from_millis(r.int64(5)),
                           core::from_millis(r.int64(6)),
                           r.opt_instant(7)};
  });
}

Result<std::optional<Webhook>> SqliteTx::webhook(core::UserId user) {
  auto s = conn_.prepare(k_select_webhook);
  if (!s) return s.error();
  s->bind(1, user);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<Webhook>{};
  return std::optional<Webhook>{
      Webhook{s->int64(0), s->text(1), s->text(2), core::from_millis(s->int64(3))}};
}

Result<std::vector<Delivery>> SqliteTx::pending_deliveries(core::Instant at, int limit) {
  auto s = conn_.prepare(k_pending_deliveries);
  if (!s) return s.error();
  s->bind(1, to_millis(at)).bind(2, std::int64_t{limit});
  return collect<Delivery>(*s, [](const Statement& r) {
    Delivery d;
    d.reminder_id = r.text(0);
    d.channel = r.text(1);
    d.state = r.text(2);
    d.attempts = static_cast<int>(r.int64(3));
    if (!r.is_null(4)) d.last_error = r.text(4);
    d.next_attempt = r.opt_instant(5);
    d.delivered_at = r.opt_instant(6);
    d.user_id = r.int64(7);
    d.created_at = core::from_millis(r.int64(8));
    return d;
  });
}

Status SqliteTx::upsert_reminder(const ReminderRow& r) {
  auto s = conn_.prepare(k_upsert_reminder);
  if (!s) return s.error();
  s->bind(1, r.id).bind(2, r.task_id).bind(3, r.user_id).bind(4, r.title);
  s->bind(5, r.due_at).bind(6, to_millis(r.remind_at)).bind(7, to_millis(core::now()));
  return s->run();
}

Result<bool> SqliteTx::cancel_reminder(std::string_view id) {
  auto s = conn_.prepare(k_cancel_reminder);
  if (!s) return s.error();
  s->bind(1, id);
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<std::optional<ReminderRow>> SqliteTx::fire_reminder(std::string_view id, core::Instant at) {
  auto s = conn_.prepare(k_fire_reminder);
  if (!s) return s.error();
  s->bind(1, to_millis(at)).bind(2, id).bind(3, to_millis(at));
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<ReminderRow>{};
  auto fired = read_reminder(*s);
  if (auto st = s->run(); !st) return st.error();  // finish the statement
  return std::optional<ReminderRow>{std::move(fired)};
}

Result<std::int64_t> SqliteTx::insert_notification(const NotificationRow& n) {
  auto s = conn_.prepare(k_insert_notification);
  if (!s) return s.error();
  s->bind(1, n.user_id).bind(2, n.task_id).bind(3, n.reminder_id).bind(4, n.title);
  s->bind(5, to_millis(n.remind_at)).bind(6, to_millis(n.fired_at));
  if (auto st = s->run(); !st) return st.error();
  return conn_.last_insert_id();
}

Result<bool> SqliteTx::mark_notification_read(core::UserId user, std::int64_t id,
                                              core::Instant at) {
  auto s = conn_.prepare(k_mark_read);
  if (!s) return s.error();
  s->bind(1, to_millis(at)).bind(2, id).bind(3, user);
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Status SqliteTx::set_webhook(const Webhook& h) {
  auto s = conn_.prepare(k_set_webhook);
  if (!s) return s.error();
  s->bind(1, h.user_id).bind(2, h.url).bind(3, h.secret).bind(4, to_millis(h.created_at));
  return s->run();
}

Status SqliteTx::delete_webhook(core::UserId user) {
  auto s = conn_.prepare(k_delete_webhook);
  if (!s) return s.error();
  s->bind(1, user);
  return s->run();
}

Status SqliteTx::delete_user_notifier_data(core::UserId user) {
  for (const char* sql :
       {"DELETE FROM deliveries WHERE reminder_id IN (SELECT id FROM reminders WHERE user_id = ?)",
        "DELETE FROM reminders WHERE user_id = ?", "DELETE FROM notifications WHERE user_id = ?",
        "DELETE FROM webhooks WHERE user_id = ?"}) {
    auto s = conn_.prepare(sql);
    if (!s) return s.error();
    s->bind(1, user);
    if (auto st = s->run(); !st) return st;
  }
  return {};
}

Status SqliteTx::upsert_delivery(const Delivery& d) {
  auto s = conn_.prepare(k_upsert_delivery);
  if (!s) return s.error();
  s->bind(1, d.reminder_id).bind(2, d.channel).bind(3, d.state).bind(4, std::int64_t{d.attempts});
  s->bind(5, d.last_error);
  s->bind(6, d.next_attempt).bind(7, d.delivered_at).bind(8, d.user_id);
  s->bind(9, to_millis(d.created_at));
  return s->run();
}

}  // namespace tickler::store::sqlite
