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
    "time_zone, priority) VALUES (?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?) ON CONFLICT (id) DO "
    "UPDATE SET title = excluded.title, due_at = excluded.due_at, "
    "remind_at = excluded.remind_at, time_zone = excluded.time_zone, priority = excluded.priority, "
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
constexpr const char* k_set_first_webhook =
    "UPDATE webhooks SET url = ?, secret = ?, created_at = ? "
    "WHERE id = (SELECT min(id) FROM webhooks WHERE user_id = ?)";
constexpr const char* k_insert_webhook =
    "INSERT INTO webhooks (user_id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)";
constexpr const char* k_update_webhook =
    "UPDATE webhooks SET url = ?, secret = ?, events = ? WHERE id = ? AND user_id = ?";
constexpr const char* k_delete_webhook =
    "DELETE FROM webhooks WHERE id = (SELECT min(id) FROM webhooks WHERE user_id = ?)";
constexpr const char* k_delete_webhook_by_id = "DELETE FROM webhooks WHERE id = ? AND user_id = ?";
const std::string k_select_webhook =
    select_columns(k_webhook_columns, " FROM webhooks WHERE user_id = ? ORDER BY id LIMIT 1");
const std::string k_select_webhooks =
    select_columns(k_webhook_columns, " FROM webhooks WHERE user_id = ? ORDER BY id");
const std::string k_select_notifications =
    select_columns(k_notification_columns,
                   " FROM notifications WHERE user_id = ? AND (? = 0 OR read_at IS NULL) "
                   "AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?");
constexpr const char* k_upsert_delivery =
    "INSERT INTO deliveries (reminder_id, channel, state, attempts, last_error, next_attempt, "
    "delivered_at, user_id, created_at, sent_at, payload) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (reminder_id, channel) DO UPDATE SET "
    "state = excluded.state, attempts = excluded.attempts, last_error = excluded.last_error, "
    "next_attempt = excluded.next_attempt, delivered_at = excluded.delivered_at, "
    "sent_at = excluded.sent_at";
// Queue heads only (`head`, kept by the triggers of migration 0015).
const std::string k_pending_deliveries = select_columns(
    k_delivery_columns,
    " FROM deliveries WHERE head = 1 AND next_attempt <= ? "
    "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt, created_at LIMIT ?");
// The kind expression is deliveries_due_heads' own, so that the index serves it in order.
const std::string k_due_delivery_heads = select_columns(
    k_delivery_columns,
    " FROM deliveries WHERE head = 1 AND substr(channel, 1, instr(channel || ':', ':') - 1) = ? "
    "AND next_attempt <= ? AND (lease_until IS NULL OR lease_until <= ?) "
    "ORDER BY next_attempt, created_at LIMIT ?");
const std::string k_dead_deliveries = select_columns(
    k_delivery_columns,
    " FROM deliveries WHERE state = 'dead' ORDER BY created_at, reminder_id LIMIT ?");
const std::string k_reminder_deliveries =
    select_columns(k_delivery_columns, " FROM deliveries WHERE reminder_id = ? ORDER BY channel");
const std::string k_task_deliveries =
    select_columns(k_delivery_columns,
                   " FROM deliveries WHERE user_id = ? AND reminder_id IN "
                   "(SELECT id FROM reminders WHERE task_id = ? AND user_id = ?) "
                   "ORDER BY created_at, reminder_id, channel LIMIT ?");
const std::string k_claim_delivery =
    std::string{
        "UPDATE deliveries SET attempts = attempts + 1, lease_owner = ?, lease_until = ? "
        "WHERE reminder_id = ? AND channel = ? AND state IN ('pending', 'failed') "
        "AND (lease_until IS NULL OR lease_until <= ?) "
        "AND (next_attempt IS NULL OR next_attempt <= ?) RETURNING "} +
    k_delivery_columns;
constexpr const char* k_finish_delivery =
    "UPDATE deliveries SET state = ?, last_error = ?, next_attempt = ?, sent_at = ?, "
    "delivered_at = ?, lease_owner = NULL, lease_until = NULL "
    "WHERE reminder_id = ? AND channel = ? AND lease_owner = ?";
constexpr const char* k_redrive_deliveries =
    "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt = ?, "
    "lease_owner = NULL, lease_until = NULL "
    "WHERE state = 'dead' AND (? = 0 OR (reminder_id = ? AND channel = ?))";

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

Result<std::vector<Webhook>> SqliteTx::webhooks(core::UserId user) {
  auto s = bound(conn_, k_select_webhooks, user);
  if (!s) return s.error();
  return collect<Webhook>(*s, read_webhook<Statement>);
}

Result<std::vector<Delivery>> SqliteTx::pending_deliveries(core::Instant at, int limit) {
  auto s = bound(conn_, k_pending_deliveries, at, at, std::int64_t{limit});
  if (!s) return s.error();
  return collect<Delivery>(*s, read_delivery<Statement>);
}

const std::string& due_delivery_heads_sql() {
  return k_due_delivery_heads;
}

Result<std::vector<Delivery>> SqliteTx::due_delivery_heads(std::string_view kind, core::Instant at,
                                                           int limit) {
  auto s = bound(conn_, k_due_delivery_heads, kind, at, at, std::int64_t{limit});
  if (!s) return s.error();
  return collect<Delivery>(*s, read_delivery<Statement>);
}

Result<std::vector<Delivery>> SqliteTx::dead_deliveries(int limit) {
  auto s = bound(conn_, k_dead_deliveries, std::int64_t{limit});
  if (!s) return s.error();
  return collect<Delivery>(*s, read_delivery<Statement>);
}

Result<std::vector<Delivery>> SqliteTx::reminder_deliveries(std::string_view reminder_id) {
  auto s = bound(conn_, k_reminder_deliveries, reminder_id);
  if (!s) return s.error();
  return collect<Delivery>(*s, read_delivery<Statement>);
}

Result<std::vector<Delivery>> SqliteTx::task_deliveries(core::UserId user, core::TaskId task,
                                                        int limit) {
  auto s = bound(conn_, k_task_deliveries, user, task, user, std::int64_t{limit});
  if (!s) return s.error();
  return collect<Delivery>(*s, read_delivery<Statement>);
}

Status SqliteTx::upsert_reminder(const ReminderRow& r) {
  auto s = bound(conn_, k_upsert_reminder, r.id, r.task_id, r.user_id, r.title, r.due_at,
                 r.remind_at, core::now(), r.time_zone, r.priority);
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
  auto s = bound(conn_, k_set_first_webhook, h.url, h.secret, h.created_at, h.user_id);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st;
  if (sqlite3_changes(conn_.handle()) == 1) return {};
  auto id = insert_webhook(h);
  if (!id) return id.error();
  return {};
}

Status SqliteTx::delete_webhook(core::UserId user) {
  auto s = bound(conn_, k_delete_webhook, user);
  if (!s) return s.error();
  return s->run();
}

Result<std::int64_t> SqliteTx::insert_webhook(const Webhook& h) {
  auto s = bound(conn_, k_insert_webhook, h.user_id, h.url, h.secret, join_events(h.events),
                 h.created_at);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return conn_.last_insert_id();
}

Result<bool> SqliteTx::update_webhook(const Webhook& h) {
  auto s = bound(conn_, k_update_webhook, h.url, h.secret, join_events(h.events), h.id, h.user_id);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<bool> SqliteTx::delete_webhook_by_id(core::UserId user, std::int64_t id) {
  auto s = bound(conn_, k_delete_webhook_by_id, id, user);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Status SqliteTx::delete_user_notifier_data(core::UserId user) {
  return delete_for_user(
      {"DELETE FROM deliveries WHERE user_id = ?1 OR "
       "reminder_id IN (SELECT id FROM reminders WHERE user_id = ?1)",
       "DELETE FROM reminders WHERE user_id = ?", "DELETE FROM notifications WHERE user_id = ?",
       "DELETE FROM webhooks WHERE user_id = ?", "DELETE FROM email_channels WHERE user_id = ?",
       "DELETE FROM notification_settings WHERE user_id = ?",
       "DELETE FROM notification_overrides WHERE user_id = ?",
       "DELETE FROM push_subscriptions WHERE user_id = ?",
       "DELETE FROM ntfy_channels WHERE user_id = ?"},
      user);
}

Status SqliteTx::upsert_delivery(const Delivery& d) {
  auto s = bound(conn_, k_upsert_delivery, d.reminder_id, d.channel, d.state,
                 std::int64_t{d.attempts}, d.last_error, d.next_attempt, d.delivered_at, d.user_id,
                 d.created_at, d.sent_at, d.payload);
  if (!s) return s.error();
  return s->run();
}

Result<std::optional<Delivery>> SqliteTx::claim_delivery(std::string_view reminder_id,
                                                         std::string_view channel,
                                                         std::string_view owner, core::Instant at,
                                                         core::Instant until) {
  auto s = bound(conn_, k_claim_delivery, owner, until, reminder_id, channel, at, at);
  if (!s) return s.error();
  auto claimed = first<Delivery>(*s, read_delivery<Statement>);
  if (!claimed || !*claimed) return claimed;
  if (auto st = s->run(); !st) return st.error();  // finish the statement
  return claimed;
}

Result<bool> SqliteTx::finish_delivery(const Delivery& d, std::string_view owner) {
  auto s = bound(conn_, k_finish_delivery, d.state, d.last_error, d.next_attempt, d.sent_at,
                 d.delivered_at, d.reminder_id, d.channel, owner);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<int> SqliteTx::redrive_deliveries(
    const std::optional<std::pair<std::string, std::string>>& key, core::Instant at) {
  const std::string none;
  auto s = bound(conn_, k_redrive_deliveries, at, std::int64_t{key ? 1 : 0},
                 key ? key->first : none, key ? key->second : none);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle());
}

}  // namespace tickler::store::sqlite
