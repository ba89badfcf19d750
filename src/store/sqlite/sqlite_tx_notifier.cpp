// SqliteTx: the notifier's reminders, notifications, webhooks and deliveries.
#include "store/row_codec.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

const std::string k_select_due =
    select_columns(k_reminder_columns,
                   " FROM reminders WHERE state = 'scheduled' AND remind_at <= ? "
                   "ORDER BY remind_at LIMIT ?");
// reminders_due holds (remind_at) and, the table being WITHOUT ROWID, the key id after it: the
// row value walks it from the position on.
const std::string k_select_scheduled_after = select_columns(
    k_reminder_columns,
    " FROM reminders WHERE state = 'scheduled' AND (remind_at, id) > (?, ?) AND remind_at <= ? "
    "ORDER BY remind_at, id LIMIT ?");
const std::string k_select_reminder =
    select_columns(k_reminder_columns, " FROM reminders WHERE id = ?");
constexpr const char* k_upsert_reminder =
    "INSERT INTO reminders (id, task_id, user_id, title, due_at, remind_at, state, created_at, "
    "time_zone) VALUES (?, ?, ?, ?, ?, ?, 'scheduled', ?, ?) ON CONFLICT (id) DO UPDATE SET "
    "title = excluded.title, due_at = excluded.due_at, remind_at = excluded.remind_at, "
    "time_zone = excluded.time_zone, "
    "state = CASE WHEN state = 'fired' THEN 'fired' ELSE 'scheduled' END";
constexpr const char* k_cancel_reminder =
    "UPDATE reminders SET state = 'cancelled' WHERE id = ? AND state = 'scheduled'";
const std::string k_fire_reminder =
    std::string{
        "UPDATE reminders SET state = 'fired', fired_at = ? "
        "WHERE id = ? AND state = 'scheduled' AND remind_at <= ? RETURNING "} +
    k_reminder_columns;
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
const std::string k_select_webhook =
    select_columns(k_webhook_columns, " FROM webhooks WHERE user_id = ?");
const std::string k_select_notifications =
    select_columns(k_notification_columns,
                   " FROM notifications WHERE user_id = ? AND (? = 0 OR read_at IS NULL) "
                   "AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?");
constexpr const char* k_upsert_delivery =
    "INSERT INTO deliveries (reminder_id, channel, state, attempts, last_error, next_attempt, "
    "delivered_at, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (reminder_id, channel) DO UPDATE SET "
    "state = excluded.state, attempts = excluded.attempts, last_error = excluded.last_error, "
    "next_attempt = excluded.next_attempt, delivered_at = excluded.delivered_at";
const std::string k_pending_deliveries = select_columns(
    k_delivery_columns,
    " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id, channel "
    "ORDER BY created_at, reminder_id) AS place FROM deliveries WHERE state = 'pending') "
    "WHERE place = 1 AND next_attempt <= ? ORDER BY next_attempt, created_at LIMIT ?");

}  // namespace

Result<std::vector<ReminderRow>> SqliteTx::due_reminders(core::Instant at, int limit) {
  auto s = bound(conn_, k_select_due, at, std::int64_t{limit});
  if (!s) return s.error();
  return collect<ReminderRow>(*s, read_reminder<Statement>);
}

Result<std::vector<ReminderRow>> SqliteTx::scheduled_reminders_after(const ReminderPosition& after,
                                                                     core::Instant until,
                                                                     int limit) {
  auto s = bound(conn_, k_select_scheduled_after, after.at, after.id, until, std::int64_t{limit});
  if (!s) return s.error();
  return collect<ReminderRow>(*s, read_reminder<Statement>);
}

Result<std::optional<ReminderRow>> SqliteTx::reminder(std::string_view id) {
  auto s = bound(conn_, k_select_reminder, id);
  if (!s) return s.error();
  return first<ReminderRow>(*s, read_reminder<Statement>);
}

Result<std::vector<NotificationRow>> SqliteTx::notifications(
    core::UserId user, bool unread_only, int limit, std::optional<std::int64_t> before_id) {
  auto s = bound(conn_, k_select_notifications, user, std::int64_t{unread_only ? 1 : 0}, before_id,
                 before_id, std::int64_t{limit});
  if (!s) return s.error();
  return collect<NotificationRow>(*s, read_notification<Statement>);
}

Result<std::optional<Webhook>> SqliteTx::webhook(core::UserId user) {
  auto s = bound(conn_, k_select_webhook, user);
  if (!s) return s.error();
  return first<Webhook>(*s, read_webhook<Statement>);
}

Result<std::vector<Delivery>> SqliteTx::pending_deliveries(core::Instant at, int limit) {
  auto s = bound(conn_, k_pending_deliveries, at, std::int64_t{limit});
  if (!s) return s.error();
  return collect<Delivery>(*s, read_delivery<Statement>);
}

Status SqliteTx::upsert_reminder(const ReminderRow& r) {
  auto s = bound(conn_, k_upsert_reminder, r.id, r.task_id, r.user_id, r.title, r.due_at,
                 r.remind_at, core::now(), r.time_zone);
  if (!s) return s.error();
  return s->run();
}

Result<bool> SqliteTx::cancel_reminder(std::string_view id) {
  auto s = bound(conn_, k_cancel_reminder, id);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<std::optional<ReminderRow>> SqliteTx::fire_reminder(std::string_view id, core::Instant at) {
  auto s = bound(conn_, k_fire_reminder, at, id, at);
  if (!s) return s.error();
  auto fired = first<ReminderRow>(*s, read_reminder<Statement>);
  if (!fired || !*fired) return fired;
  if (auto st = s->run(); !st) return st.error();  // finish the statement
  return fired;
}

Result<std::int64_t> SqliteTx::insert_notification(const NotificationRow& n) {
  auto s = bound(conn_, k_insert_notification, n.user_id, n.task_id, n.reminder_id, n.title,
                 n.remind_at, n.fired_at);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return conn_.last_insert_id();
}

Result<bool> SqliteTx::mark_notification_read(core::UserId user, std::int64_t id,
                                              core::Instant at) {
  auto s = bound(conn_, k_mark_read, at, id, user);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Status SqliteTx::set_webhook(const Webhook& h) {
  auto s = bound(conn_, k_set_webhook, h.user_id, h.url, h.secret, h.created_at);
  if (!s) return s.error();
  return s->run();
}

Status SqliteTx::delete_webhook(core::UserId user) {
  auto s = bound(conn_, k_delete_webhook, user);
  if (!s) return s.error();
  return s->run();
}

Status SqliteTx::delete_user_notifier_data(core::UserId user) {
  return delete_for_user(
      {"DELETE FROM deliveries WHERE reminder_id IN (SELECT id FROM reminders WHERE user_id = ?)",
       "DELETE FROM reminders WHERE user_id = ?", "DELETE FROM notifications WHERE user_id = ?",
       "DELETE FROM webhooks WHERE user_id = ?", "DELETE FROM email_channels WHERE user_id = ?"},
      user);
}

Status SqliteTx::upsert_delivery(const Delivery& d) {
  auto s =
      bound(conn_, k_upsert_delivery, d.reminder_id, d.channel, d.state, std::int64_t{d.attempts},
            d.last_error, d.next_attempt, d.delivered_at, d.user_id, d.created_at);
  if (!s) return s.error();
  return s->run();
}

}  // namespace tickler::store::sqlite
