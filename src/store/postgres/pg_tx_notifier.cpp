// PgTx: the notifier's reminders, notifications, webhooks and deliveries.
#include <array>

#include "store/postgres/pg_tx.hpp"
#include "store/row_codec.hpp"

namespace tickler::store::postgres {
namespace {

const std::string k_due_sql = select_columns(
    k_reminder_columns,
    " FROM reminders WHERE state = 'scheduled' AND remind_at <= $1 ORDER BY remind_at "
    "LIMIT $2");
// Ids compare in byte order (COLLATE "C"), as in SQLite and in the notifier's memory; the index
// reminders_keyset (remind_at, id COLLATE "C") walks them from the position on.
const std::string k_scheduled_after_sql = select_columns(
    k_reminder_columns,
    " FROM reminders WHERE state = 'scheduled' AND (remind_at, id COLLATE \"C\") > ($1, $2) "
    "AND remind_at <= $3 ORDER BY remind_at, id COLLATE \"C\" LIMIT $4");
const std::string k_reminder_sql =
    select_columns(k_reminder_columns, " FROM reminders WHERE id = $1");
const Query k_select_due{"select_due_reminders", k_due_sql.c_str()};
const Query k_select_scheduled_after{"select_scheduled_reminders_after",
                                     k_scheduled_after_sql.c_str()};
const Query k_select_reminder{"select_reminder", k_reminder_sql.c_str()};

constexpr Query k_upsert_reminder{
    "upsert_reminder",
    "INSERT INTO reminders (id, task_id, user_id, title, due_at, remind_at, state, created_at, "
    "time_zone, priority) VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $8, $9) ON CONFLICT "
    "(id) DO UPDATE SET title = excluded.title, due_at = excluded.due_at, "
    "remind_at = excluded.remind_at, time_zone = excluded.time_zone, priority = excluded.priority, "
    "state = CASE WHEN reminders.state = 'fired' THEN 'fired' ELSE 'scheduled' END"};
constexpr Query k_cancel_reminder{
    "cancel_reminder",
    "UPDATE reminders SET state = 'cancelled' WHERE id = $1 AND state = 'scheduled'"};
// The row lock and the state check make a reminder fire once: a concurrent second firing waits
// for the first, then finds it fired (or, at REPEATABLE READ, fails and is retried).
const std::string k_fire_sql =
    std::string{
        "UPDATE reminders SET state = 'fired', fired_at = $2 "
        "WHERE id = $1 AND state = 'scheduled' AND remind_at <= $2 RETURNING "} +
    k_reminder_columns;
const Query k_fire_reminder{"fire_reminder", k_fire_sql.c_str()};
constexpr Query k_insert_notification{
    "insert_notification",
    "INSERT INTO notifications (user_id, task_id, reminder_id, title, remind_at, fired_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
const std::string k_notifications_sql = select_columns(
    k_notification_columns,
    " FROM notifications WHERE user_id = $1 AND (NOT $2::boolean OR read_at IS NULL) "
    "AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4");
const Query k_select_notifications{"select_notifications", k_notifications_sql.c_str()};
constexpr Query k_mark_read{
    "mark_notification_read",
    "UPDATE notifications SET read_at = coalesce(read_at, $1) WHERE id = $2 AND user_id = $3"};
constexpr Query k_set_first_webhook{"set_first_webhook",
                                    "UPDATE webhooks SET url = $2, secret = $3, created_at = $4 "
                                    "WHERE id = (SELECT min(id) FROM webhooks WHERE user_id = $1)"};
constexpr Query k_insert_webhook{
    "insert_webhook",
    "INSERT INTO webhooks (user_id, url, secret, events, created_at) VALUES ($1, $2, $3, $4, $5) "
    "RETURNING id"};
constexpr Query k_update_webhook{
    "update_webhook",
    "UPDATE webhooks SET url = $3, secret = $4, events = $5 WHERE id = $2 AND user_id = $1"};
constexpr Query k_delete_webhook{
    "delete_webhook",
    "DELETE FROM webhooks WHERE id = (SELECT min(id) FROM webhooks WHERE user_id = $1)"};
constexpr Query k_delete_webhook_by_id{"delete_webhook_by_id",
                                       "DELETE FROM webhooks WHERE id = $2 AND user_id = $1"};
const std::string k_webhook_sql =
    select_columns(k_webhook_columns, " FROM webhooks WHERE user_id = $1 ORDER BY id LIMIT 1");
const Query k_select_webhook{"select_webhook", k_webhook_sql.c_str()};
const std::string k_webhooks_sql =
    select_columns(k_webhook_columns, " FROM webhooks WHERE user_id = $1 ORDER BY id");
const Query k_select_webhooks{"select_webhooks", k_webhooks_sql.c_str()};
constexpr Query k_upsert_delivery{
    "upsert_delivery",
    "INSERT INTO deliveries (reminder_id, channel, state, attempts, last_error, next_attempt, "
    "delivered_at, user_id, created_at, sent_at, payload) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
    "ON CONFLICT (reminder_id, channel) DO "
    "UPDATE SET state = excluded.state, attempts = excluded.attempts, "
    "last_error = excluded.last_error, next_attempt = excluded.next_attempt, "
    "delivered_at = excluded.delivered_at, sent_at = excluded.sent_at"};
// Queue heads only (`head`, kept by the trigger of notifier migration 0006).
const std::string k_pending_deliveries_sql =
    select_columns(k_delivery_columns,
                   " FROM deliveries WHERE head AND next_attempt <= $1 AND (lease_until IS NULL OR "
                   "lease_until <= $1) ORDER BY next_attempt, created_at LIMIT $2");
const Query k_pending_deliveries{"select_pending_deliveries", k_pending_deliveries_sql.c_str()};
// The kind expression is deliveries_due_heads' own, so that the index serves it in order.
const std::string k_due_delivery_heads_sql = select_columns(
    k_delivery_columns,
    " FROM deliveries WHERE head AND split_part(channel, ':', 1) = $1 AND next_attempt <= $2 "
    "AND (lease_until IS NULL OR lease_until <= $2) ORDER BY next_attempt, created_at LIMIT $3");
const Query k_due_delivery_heads{"select_due_delivery_heads", k_due_delivery_heads_sql.c_str()};
const std::string k_dead_deliveries_sql = select_columns(
    k_delivery_columns,
    " FROM deliveries WHERE state = 'dead' ORDER BY created_at, reminder_id LIMIT $1");
const Query k_dead_deliveries{"select_dead_deliveries", k_dead_deliveries_sql.c_str()};
const std::string k_reminder_deliveries_sql =
    select_columns(k_delivery_columns, " FROM deliveries WHERE reminder_id = $1 ORDER BY channel");
const Query k_reminder_deliveries{"select_reminder_deliveries", k_reminder_deliveries_sql.c_str()};
const std::string k_task_deliveries_sql =
    select_columns(k_delivery_columns,
                   " FROM deliveries WHERE user_id = $1 AND reminder_id IN "
                   "(SELECT id FROM reminders WHERE task_id = $2 AND user_id = $1) "
                   "ORDER BY created_at, reminder_id, channel LIMIT $3");
const Query k_task_deliveries{"select_task_deliveries", k_task_deliveries_sql.c_str()};
// The row lock and the state and lease checks make one notifier the claimant: a concurrent
// claim waits for the first, then finds the lease taken.
const std::string k_claim_delivery_sql =
    std::string{
        "UPDATE deliveries SET attempts = attempts + 1, lease_owner = $3, lease_until = $5 "
        "WHERE reminder_id = $1 AND channel = $2 AND state IN ('pending', 'failed') "
        "AND (lease_until IS NULL OR lease_until <= $4) "
        "AND (next_attempt IS NULL OR next_attempt <= $4) RETURNING "} +
    k_delivery_columns;
const Query k_claim_delivery{"claim_delivery", k_claim_delivery_sql.c_str()};
constexpr Query k_finish_delivery{
    "finish_delivery",
    "UPDATE deliveries SET state = $3, last_error = $4, next_attempt = $5, sent_at = $6, "
    "delivered_at = $7, lease_owner = NULL, lease_until = NULL "
    "WHERE reminder_id = $1 AND channel = $2 AND lease_owner = $8"};
constexpr Query k_redrive_deliveries{
    "redrive_deliveries",
    "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt = $1, "
    "lease_owner = NULL, lease_until = NULL "
    "WHERE state = 'dead' AND (NOT $2::boolean OR (reminder_id = $3 AND channel = $4))"};

}  // namespace

Result<std::vector<ReminderRow>> PgTx::due_reminders(core::Instant at, int limit) {
  return collect<ReminderRow>(conn_.exec(k_select_due, Params{at, limit}), read_reminder<Row>);
}

Result<std::vector<ReminderRow>> PgTx::scheduled_reminders_after(const ReminderPosition& after,
                                                                 core::Instant until, int limit) {
  return collect<ReminderRow>(
      conn_.exec(k_select_scheduled_after, Params{after.at, after.id, until, limit}),
      read_reminder<Row>);
}

Result<std::optional<ReminderRow>> PgTx::reminder(std::string_view id) {
  return first<ReminderRow>(conn_.exec(k_select_reminder, Params{id}), read_reminder<Row>);
}

Result<std::vector<NotificationRow>> PgTx::notifications(core::UserId user, bool unread_only,
                                                         int limit,
                                                         std::optional<std::int64_t> before_id) {
  return collect<NotificationRow>(
      conn_.exec(k_select_notifications, Params{user, unread_only, before_id, limit}),
      read_notification<Row>);
}

Result<std::optional<Webhook>> PgTx::webhook(core::UserId user) {
  return first<Webhook>(conn_.exec(k_select_webhook, Params{user}), read_webhook<Row>);
}

Result<std::vector<Webhook>> PgTx::webhooks(core::UserId user) {
  return collect<Webhook>(conn_.exec(k_select_webhooks, Params{user}), read_webhook<Row>);
}

Result<std::vector<Delivery>> PgTx::pending_deliveries(core::Instant at, int limit) {
  return collect<Delivery>(conn_.exec(k_pending_deliveries, Params{at, limit}), read_delivery<Row>);
}

Result<std::vector<Delivery>> PgTx::due_delivery_heads(std::string_view kind, core::Instant at,
                                                       int limit) {
  return collect<Delivery>(conn_.exec(k_due_delivery_heads, Params{kind, at, limit}),
                           read_delivery<Row>);
}

Status PgTx::upsert_reminder(const ReminderRow& r) {
  return done(
      conn_.exec(k_upsert_reminder, Params{r.id, r.task_id, r.user_id, r.title, r.due_at,
                                           r.remind_at, core::now(), r.time_zone, r.priority}));
}

Result<bool> PgTx::cancel_reminder(std::string_view id) {
  auto res = conn_.exec(k_cancel_reminder, Params{id});
  if (!res) return res.error();
  return res->affected() == 1;
}

Result<std::optional<ReminderRow>> PgTx::fire_reminder(std::string_view id, core::Instant at) {
  return first<ReminderRow>(conn_.exec(k_fire_reminder, Params{id, at}), read_reminder<Row>);
}

Result<std::int64_t> PgTx::insert_notification(const NotificationRow& n) {
  auto res = conn_.exec(k_insert_notification, Params{n.user_id, n.task_id, n.reminder_id, n.title,
                                                      n.remind_at, n.fired_at});
  if (!res) return res.error();
  return res->row(0).int64(0);
}

Result<bool> PgTx::mark_notification_read(core::UserId user, std::int64_t id, core::Instant at) {
  auto res = conn_.exec(k_mark_read, Params{at, id, user});
  if (!res) return res.error();
  return res->affected() == 1;
}

Status PgTx::set_webhook(const Webhook& h) {
  auto res = conn_.exec(k_set_first_webhook, Params{h.user_id, h.url, h.secret, h.created_at});
  if (!res) return res.error();
  if (res->affected() == 1) return {};
  auto id = insert_webhook(h);
  if (!id) return id.error();
  return {};
}

Status PgTx::delete_webhook(core::UserId user) {
  return done(conn_.exec(k_delete_webhook, Params{user}));
}

Result<std::int64_t> PgTx::insert_webhook(const Webhook& h) {
  auto res = conn_.exec(k_insert_webhook,
                        Params{h.user_id, h.url, h.secret, join_events(h.events), h.created_at});
  if (!res) return res.error();
  return res->row(0).int64(0);
}

Result<bool> PgTx::update_webhook(const Webhook& h) {
  auto res =
      conn_.exec(k_update_webhook, Params{h.user_id, h.id, h.url, h.secret, join_events(h.events)});
  if (!res) return res.error();
  return res->affected() == 1;
}

Result<bool> PgTx::delete_webhook_by_id(core::UserId user, std::int64_t id) {
  auto res = conn_.exec(k_delete_webhook_by_id, Params{user, id});
  if (!res) return res.error();
  return res->affected() == 1;
}

Status PgTx::upsert_delivery(const Delivery& d) {
  return done(conn_.exec(k_upsert_delivery, Params{d.reminder_id, d.channel, d.state, d.attempts,
                                                   d.last_error, d.next_attempt, d.delivered_at,
                                                   d.user_id, d.created_at, d.sent_at, d.payload}));
}

Result<std::vector<Delivery>> PgTx::dead_deliveries(int limit) {
  return collect<Delivery>(conn_.exec(k_dead_deliveries, Params{limit}), read_delivery<Row>);
}

Result<std::vector<Delivery>> PgTx::reminder_deliveries(std::string_view reminder_id) {
  return collect<Delivery>(conn_.exec(k_reminder_deliveries, Params{reminder_id}),
                           read_delivery<Row>);
}

Result<std::vector<Delivery>> PgTx::task_deliveries(core::UserId user, core::TaskId task,
                                                    int limit) {
  return collect<Delivery>(conn_.exec(k_task_deliveries, Params{user, task, limit}),
                           read_delivery<Row>);
}

Result<std::optional<Delivery>> PgTx::claim_delivery(std::string_view reminder_id,
                                                     std::string_view channel,
                                                     std::string_view owner, core::Instant at,
                                                     core::Instant until) {
  return first<Delivery>(
      conn_.exec(k_claim_delivery, Params{reminder_id, channel, owner, at, until}),
      read_delivery<Row>);
}

Result<bool> PgTx::finish_delivery(const Delivery& d, std::string_view owner) {
  auto res =
      conn_.exec(k_finish_delivery, Params{d.reminder_id, d.channel, d.state, d.last_error,
                                           d.next_attempt, d.sent_at, d.delivered_at, owner});
  if (!res) return res.error();
  return res->affected() == 1;
}

Result<int> PgTx::redrive_deliveries(const std::optional<std::pair<std::string, std::string>>& key,
                                     core::Instant at) {
  const std::string none;
  auto res = conn_.exec(k_redrive_deliveries, Params{at, key.has_value(), key ? key->first : none,
                                                     key ? key->second : none});
  if (!res) return res.error();
  return static_cast<int>(res->affected());
}

Status PgTx::delete_user_notifier_data(core::UserId user) {
  constexpr std::array<Query, 9> k_statements{
      Query{"delete_user_deliveries",
            "DELETE FROM deliveries WHERE user_id = $1 OR reminder_id IN "
            "(SELECT id FROM reminders WHERE user_id = $1)"},
      Query{"delete_user_reminders", "DELETE FROM reminders WHERE user_id = $1"},
      Query{"delete_user_notifications", "DELETE FROM notifications WHERE user_id = $1"},
      Query{"delete_user_webhook", "DELETE FROM webhooks WHERE user_id = $1"},
      Query{"delete_user_email_channel", "DELETE FROM email_channels WHERE user_id = $1"},
      Query{"delete_user_notification_settings",
            "DELETE FROM notification_settings WHERE user_id = $1"},
      Query{"delete_user_notification_overrides",
            "DELETE FROM notification_overrides WHERE user_id = $1"},
      Query{"delete_user_push_subscriptions", "DELETE FROM push_subscriptions WHERE user_id = $1"},
      Query{"delete_user_ntfy_channel", "DELETE FROM ntfy_channels WHERE user_id = $1"}};
  for (const auto& q : k_statements) {
    if (auto st = done(conn_.exec(q, Params{user})); !st) return st;
  }
  return {};
}

}  // namespace tickler::store::postgres
