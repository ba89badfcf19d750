#pragma once
// The rows of the Store's tables as both engines hold them, written once: for each row, the
// columns a SELECT lists and the function that reads them, in that order, into the row's struct;
// the columns a task's INSERT and UPDATE write, in order; and the encodings of the columns that
// hold several values (reminders, space-separated words). The engines keep what is theirs: the
// SQL text around the column lists, and binding and reading values through their own APIs. A
// reader here is a template over the engine's current row (sqlite::Statement, postgres::Row),
// which reads columns by index; it compiles to the same calls the engine would make itself.
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/recurrence.hpp"
#include "core/task.hpp"
#include "store/audit.hpp"
#include "store/events.hpp"
#include "store/notifier.hpp"
#include "store/tasks.hpp"
#include "store/tokens.hpp"

namespace tickler::store {

// What a reader needs of an engine's current row: values by column index, instants stored as
// Unix milliseconds, booleans as the engine stores them. view() is valid until the row moves on.
template <class R>
concept RowColumns = requires(const R& r, int col) {
  { r.is_null(col) } -> std::same_as<bool>;
  { r.int64(col) } -> std::same_as<std::int64_t>;
  { r.boolean(col) } -> std::same_as<bool>;
  { r.text(col) } -> std::same_as<std::string>;
  { r.view(col) } -> std::same_as<std::string_view>;
  { r.opt_text(col) } -> std::same_as<std::optional<std::string>>;
  { r.opt_int64(col) } -> std::same_as<std::optional<std::int64_t>>;
  { r.instant(col) } -> std::same_as<core::Instant>;
  { r.opt_instant(col) } -> std::same_as<std::optional<core::Instant>>;
};

// "SELECT <columns><rest>": a statement over one of the column lists below.
[[nodiscard]] std::string select_columns(const char* columns, std::string_view rest);

// Space-separated words: SQLite's tags column, and the tags part of PostgreSQL's search text.
// split_words skips empty words (two spaces in a row).
[[nodiscard]] std::string join_words(const std::vector<std::string>& words);
[[nodiscard]] std::vector<std::string> split_words(std::string_view text);

// The reminders column: "b<minutes>" (before the due) and "a<unix ms>" (at), space-separated.
[[nodiscard]] std::string encode_reminders(const std::vector<core::ReminderSpec>& reminders);
[[nodiscard]] std::vector<core::ReminderSpec> decode_reminders(std::string_view text);

// The status column: 1 completed, 0 pending.
[[nodiscard]] inline std::int64_t status_code(core::TaskStatus s) {
  return s == core::TaskStatus::completed ? 1 : 0;
}

// Users.
inline constexpr const char* k_user_columns =
    "id, email, name, password_hash, created_at, token_generation, disabled";
template <RowColumns R>
core::User read_user(const R& r) {
  return {r.int64(0), r.text(1), r.text(2), r.text(3), r.instant(4), r.int64(5), r.boolean(6)};
}

// Personal API tokens. Scopes are space-separated words.
inline constexpr const char* k_api_token_columns =
    "id, user_id, name, token_hash, prefix, scopes, created_at, expires_at, last_used_at";
template <RowColumns R>
ApiToken read_api_token(const R& r) {
  return {r.int64(0),   r.int64(1),       r.text(2),
          r.text(3),    r.text(4),        split_words(r.view(5)),
          r.instant(6), r.opt_instant(7), r.opt_instant(8)};
}

// Tasks, from the table aliased t. The tags column is the engine's own (SQLite: space-separated
// words, PostgreSQL: text[]): decode_tags turns its text into the tags.
inline constexpr const char* k_task_columns =
    "t.id, t.user_id, t.title, t.description, t.status, t.priority, t.tags, t.due_at, "
    "t.time_zone, t.created_at, t.updated_at, t.completed_at, t.version, t.reminders, "
    "t.recurrence_rrule, t.recurrence_mode, t.series_id, t.series_start, t.occurrence_index";
template <RowColumns R, class DecodeTags>
core::Task read_task(const R& r, DecodeTags decode_tags) {
  core::Task t;
  t.id = r.int64(0);
  t.user_id = r.int64(1);
  t.title = r.text(2);
  t.description = r.text(3);
  t.status = r.int64(4) == 1 ? core::TaskStatus::completed : core::TaskStatus::pending;
  t.priority = static_cast<core::Priority>(r.int64(5));
  t.tags = decode_tags(r.view(6));
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
        core::parse_recurrence_mode(r.view(15)).value_or(core::RecurrenceMode::schedule)};
  }
  t.series_id = r.opt_int64(16);
  t.series_start = r.opt_instant(17);
  t.occurrence_index = static_cast<int>(r.opt_int64(18).value_or(0));
  return t;
}

// The columns both a task's INSERT (after user_id, created_at) and its UPDATE write, in this
// order: title, description, status, priority, tags, due_at, time_zone, updated_at,
// completed_at, version, reminders, recurrence_rrule, recurrence_mode, series_id, series_start,
// occurrence_index. Sixteen parameters added to p (postgres::Params, sqlite::Binder); tags come
// in the engine's own encoding.
template <class P>
void add_task_columns(P& p, const core::Task& t, std::string tags) {
  p.add(t.title).add(t.description).add(status_code(t.status));
  p.add(static_cast<std::int64_t>(t.priority)).add(std::move(tags));
  p.add(t.due_at).add(t.time_zone).add(t.updated_at).add(t.completed_at).add(t.version);
  p.add(encode_reminders(t.reminders));
  if (t.recurrence) {
    p.add(std::string_view{t.recurrence->rrule}).add(core::to_string(t.recurrence->mode));
  } else {
    p.add(std::nullopt).add(std::nullopt);
  }
  p.add(t.series_id).add(t.series_start);
  p.add(t.series_id ? std::optional<std::int64_t>{t.occurrence_index} : std::nullopt);
}

template <RowColumns R>
core::TagCount read_tag_count(const R& r) {  // SELECT tag, count
  return {r.text(0), r.int64(1)};
}

template <RowColumns R>
IdempotentResponse read_idempotent(const R& r) {  // SELECT request_hash, status, body
  return {r.text(0), static_cast<int>(r.int64(1)), r.text(2)};
}

// Events.
inline constexpr const char* k_outbox_columns =
    "id, topic, type, source, subject, user_id, data, event_id, target, created_at, attempts";
template <RowColumns R>
OutboxRow read_outbox_row(const R& r) {
  OutboxRow o;
  o.id = r.int64(0);
  o.topic = r.text(1);
  o.type = r.text(2);
  o.source = r.text(3);
  o.subject = r.text(4);
  o.user_id = r.int64(5);
  o.data = r.text(6);
  o.event_id = r.opt_text(7);
  o.target = r.opt_text(8);
  o.created_at = r.instant(9);
  o.attempts = static_cast<int>(r.int64(10));
  return o;
}

inline constexpr const char* k_dead_letter_columns =
    "id, event_id, subscriber, topic, type, source, subject, user_id, data, error, created_at, "
    "redriven_at";
template <RowColumns R>
DeadLetter read_dead_letter(const R& r) {
  DeadLetter d;
  d.id = r.int64(0);
  d.event.event_id = r.text(1);
  d.subscriber = r.text(2);
  d.event.topic = r.text(3);
  d.event.type = r.text(4);
  d.event.source = r.text(5);
  d.event.subject = r.text(6);
  d.event.user_id = r.int64(7);
  d.event.data = r.text(8);
  d.error = r.text(9);
  d.created_at = r.instant(10);
  d.redriven_at = r.opt_instant(11);
  return d;
}

// Audit.
inline constexpr const char* k_audit_columns =
    "id, event_id, user_id, task_id, actor, type, changes, at, request_id, prev_hash, hash";
template <RowColumns R>
AuditEntry read_audit_entry(const R& r) {
  return {r.int64(0), r.text(1),    r.int64(2), r.int64(3), r.text(4), r.text(5),
          r.text(6),  r.instant(7), r.text(8),  r.text(9),  r.text(10)};
}

inline constexpr const char* k_audit_head_columns = "user_id, last_id, hash, entries";
template <RowColumns R>
AuditHead read_audit_head(const R& r) {
  return {r.int64(0), r.int64(1), r.text(2), r.int64(3)};
}

// Notifier.
inline constexpr const char* k_reminder_columns =
    "id, task_id, user_id, title, due_at, remind_at, state, fired_at, time_zone, priority";
template <RowColumns R>
ReminderRow read_reminder(const R& r) {
  return {r.text(0),    r.int64(1), r.int64(2),       r.text(3), r.opt_instant(4),
          r.instant(5), r.text(6),  r.opt_instant(7), r.text(8), r.text(9)};
}

inline constexpr const char* k_preference_columns = "user_id, body, updated_at";
template <RowColumns R>
PreferenceDocument read_preference(const R& r) {
  return {r.int64(0), r.text(1), r.instant(2)};
}

inline constexpr const char* k_email_channel_columns =
    "user_id, address, confirmed, created_at, confirmed_at, confirmations_sent, "
    "confirmations_since";
template <RowColumns R>
EmailChannel read_email_channel(const R& r) {
  return {r.int64(0),   r.text(1),        r.boolean(2),
          r.instant(3), r.opt_instant(4), static_cast<int>(r.int64(5)),
          r.instant(6)};
}

inline constexpr const char* k_push_subscription_columns =
    "id, user_id, endpoint, p256dh, auth, user_agent, created_at";
template <RowColumns R>
PushSubscription read_push_subscription(const R& r) {
  return {r.int64(0), r.int64(1), r.text(2), r.text(3), r.text(4), r.text(5), r.instant(6)};
}

inline constexpr const char* k_ntfy_channel_columns = "user_id, server, topic, token, created_at";
template <RowColumns R>
NtfyChannel read_ntfy_channel(const R& r) {
  return {r.int64(0), r.text(1), r.text(2), r.text(3), r.instant(4)};
}

inline constexpr const char* k_notification_columns =
    "id, user_id, task_id, reminder_id, title, remind_at, fired_at, read_at";
template <RowColumns R>
NotificationRow read_notification(const R& r) {
  return {r.int64(0), r.int64(1),   r.int64(2),   r.text(3),
          r.text(4),  r.instant(5), r.instant(6), r.opt_instant(7)};
}

inline constexpr const char* k_webhook_columns = "user_id, url, secret, created_at, id, events";
// A webhook's events are stored comma-separated.
inline std::string join_events(const std::vector<std::string>& events) {
  std::string out;
  for (const auto& e : events) out += (out.empty() ? "" : ",") + e;
  return out;
}
inline std::vector<std::string> split_events(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}
template <RowColumns R>
Webhook read_webhook(const R& r) {
  return {r.int64(0), r.text(1), r.text(2), r.instant(3), r.int64(4), split_events(r.text(5))};
}

inline constexpr const char* k_delivery_columns =
    "reminder_id, channel, state, attempts, last_error, next_attempt, delivered_at, user_id, "
    "created_at, sent_at, lease_until, payload";
template <RowColumns R>
Delivery read_delivery(const R& r) {
  Delivery d;
  d.reminder_id = r.text(0);
  d.channel = r.text(1);
  d.state = r.text(2);
  d.attempts = static_cast<int>(r.int64(3));
  d.last_error = r.opt_text(4);
  d.next_attempt = r.opt_instant(5);
  d.delivered_at = r.opt_instant(6);
  d.user_id = r.int64(7);
  d.created_at = r.instant(8);
  d.sent_at = r.opt_instant(9);
  d.lease_until = r.opt_instant(10);
  d.payload = r.opt_text(11);
  return d;
}

}  // namespace tickler::store
