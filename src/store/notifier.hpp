#pragma once
// The notifier area of the Store, the notifier's tables: reminders (scheduled → fired |
// cancelled), the notifications they produce, users' webhooks, and deliveries per channel; their
// rows and their Reader and Writer (see store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::store {

struct ReminderRow {
  std::string id;
  core::TaskId task_id = 0;
  core::UserId user_id = 0;
  std::string title;
  std::optional<core::Instant> due_at;
  core::Instant remind_at{};
  std::string state = "scheduled";  // scheduled | fired | cancelled
  std::optional<core::Instant> fired_at;
  std::string time_zone = "UTC";  // the task's: what a mailed reminder shows its due time in
  std::string priority =
      "none";  // the task's: which channels it goes to, whether quiet hours hold it
};

// A user's notification preferences or a task's override of them: a JSON document the notifier
// reads and writes (services/notifier/preferences.hpp); the store keeps it as it is given.
struct PreferenceDocument {
  core::UserId user_id = 0;
  std::string body;
  core::Instant updated_at{};
};

struct NotificationRow {
  std::int64_t id = 0;
  core::UserId user_id = 0;
  core::TaskId task_id = 0;
  std::string reminder_id;
  std::string title;
  core::Instant remind_at{};
  core::Instant fired_at{};
  std::optional<core::Instant> read_at;
};

// One of a user's webhooks. The user's first (lowest id) is the one /api/me/webhook reads and
// sets; every one is /api/me/channels/webhooks/{id}.
struct Webhook {
  core::UserId user_id = 0;
  std::string url;
  std::string secret;
  core::Instant created_at{};
  std::int64_t id = 0;
  std::vector<std::string> events{"reminder.fired"};  // what it is sent
};

// A user's email address for reminders: mailed only once confirmed (a link in a confirmation
// mail). Confirmation mails are rate-limited per user: confirmations_sent counts those sent since
// confirmations_since (a window the notifier restarts when it has passed).
struct EmailChannel {
  core::UserId user_id = 0;
  std::string address;
  bool confirmed = false;
  core::Instant created_at{};
  std::optional<core::Instant> confirmed_at;
  int confirmations_sent = 0;
  core::Instant confirmations_since{};
};

// One of a user's Web Push subscriptions (a browser's PushSubscription): where the push service
// takes messages for it, and the keys its messages are encrypted with (base64url, as sent).
struct PushSubscription {
  std::int64_t id = 0;
  core::UserId user_id = 0;
  std::string endpoint;
  std::string p256dh;
  std::string auth;
  std::string user_agent;
  core::Instant created_at{};
};

// A user's ntfy topic: the server (its base URL), the topic, and an access token (empty: none).
struct NtfyChannel {
  core::UserId user_id = 0;
  std::string server;
  std::string topic;
  std::string token;
  core::Instant created_at{};
};

// One reminder's delivery on one channel; (reminder_id, channel) is its idempotency key. A
// user's waiting deliveries on a channel go out in the order they were created (created_at, then
// reminder_id), one at a time. States: pending (not attempted yet) and failed (the last attempt
// failed: last_error, retried at next_attempt) wait; sent (handed over), delivered (the receiver
// confirmed) and dead (attempts ran out or failed for good; redrivable) are final.
struct Delivery {
  std::string reminder_id;        // or event:<event id>, a task event's delivery
  std::string channel;            // in_app | webhook | webhook:<id> | email | …
  std::string state = "pending";  // pending | failed | sent | delivered | dead
  int attempts = 0;
  std::optional<std::string> last_error;
  std::optional<core::Instant> next_attempt;
  std::optional<core::Instant> delivered_at;
  core::UserId user_id = 0;
  core::Instant created_at{};  // set when inserted; an update keeps the first one
  std::optional<core::Instant> sent_at{};
  std::optional<core::Instant> lease_until{};  // claimed for an attempt until then (read only)
  std::optional<std::string> payload{};        // a task event's delivery: the body to send
};

// Whether a delivery in this state is waiting for an attempt.
inline bool delivery_waiting(std::string_view state) {
  return state == "pending" || state == "failed";
}

// A place in the order scheduled reminders come due: remind_at, then id (byte order). The id ""
// comes before every reminder at `at`, so {t + 1 ms, ""} follows every reminder at t.
struct ReminderPosition {
  core::Instant at{};
  std::string id;
  friend auto operator<=>(const ReminderPosition&, const ReminderPosition&) = default;
};

// Reminders, notifications, webhooks and deliveries of one transaction's snapshot.
class NotifierReader {
 public:
  virtual ~NotifierReader() = default;
  // Scheduled reminders due by `at`, oldest first.
  virtual core::Result<std::vector<ReminderRow>> due_reminders(core::Instant at, int limit) = 0;
  // Scheduled reminders after `after` and due by `until`, in (remind_at, id) order, at most
  // `limit`: a page of what the scheduler is to hold (keyset paging, from the next page's
  // position, that of the last row).
  virtual core::Result<std::vector<ReminderRow>> scheduled_reminders_after(
      const ReminderPosition& after, core::Instant until, int limit) = 0;
  // A user's notifications, newest first, below before_id when given.
  virtual core::Result<std::vector<NotificationRow>> notifications(
      core::UserId user, bool unread_only, int limit, std::optional<std::int64_t> before_id) = 0;
  // The user's first webhook (lowest id).
  virtual core::Result<std::optional<Webhook>> webhook(core::UserId user) = 0;
  // Every webhook of the user, by id.
  virtual core::Result<std::vector<Webhook>> webhooks(core::UserId user) = 0;
  // The next delivery of each user and channel (the head of its queue: the oldest waiting one,
  // pending or failed), where it is due by `at` and not claimed (its lease ended by `at`);
  // soonest first (next_attempt, created_at). A user whose next delivery waits for a retry, or is
  // being attempted, has none due on that channel.
  virtual core::Result<std::vector<Delivery>> pending_deliveries(core::Instant at, int limit) = 0;
  // The same for the channels of one kind (`kind` or `kind:<anything>`, e.g. webhook and
  // webhook:7), read from an index of queue heads: its cost grows with `limit` and the heads
  // being attempted, not with the deliveries waiting behind them.
  virtual core::Result<std::vector<Delivery>> due_delivery_heads(std::string_view kind,
                                                                 core::Instant at, int limit) = 0;
  // Dead deliveries, oldest first.
  virtual core::Result<std::vector<Delivery>> dead_deliveries(int limit) = 0;
  // Every channel's delivery of one reminder, by channel.
  virtual core::Result<std::vector<Delivery>> reminder_deliveries(std::string_view reminder_id) = 0;
  // A user's deliveries of a task's reminders, oldest first, at most `limit`.
  virtual core::Result<std::vector<Delivery>> task_deliveries(core::UserId user, core::TaskId task,
                                                              int limit) = 0;
  virtual core::Result<std::optional<ReminderRow>> reminder(std::string_view id) = 0;
  virtual core::Result<std::optional<EmailChannel>> email_channel(core::UserId user) = 0;
  // The user's notification preferences; nullopt when never set (the defaults).
  virtual core::Result<std::optional<PreferenceDocument>> notification_settings(
      core::UserId user) = 0;
  // The override of the user's task; nullopt when it has none (or the task is another's).
  virtual core::Result<std::optional<PreferenceDocument>> notification_override(
      core::UserId user, core::TaskId task) = 0;
  // The user's push subscriptions, by id.
  virtual core::Result<std::vector<PushSubscription>> push_subscriptions(core::UserId user) = 0;
  virtual core::Result<std::optional<NtfyChannel>> ntfy_channel(core::UserId user) = 0;
  // A key this instance made once and keeps (the VAPID key of Web Push), by name.
  virtual core::Result<std::optional<std::string>> instance_key(std::string_view name) = 0;
};

// The notifier's rows changed in a write transaction (which can read them too).
class NotifierWriter : public virtual NotifierReader {
 public:
  // Reschedules a scheduled or cancelled reminder, never a fired one.
  virtual core::Status upsert_reminder(const ReminderRow& reminder) = 0;
  // Cancels a scheduled reminder only.
  virtual core::Result<bool> cancel_reminder(std::string_view id) = 0;
  // Moves a scheduled reminder whose time has come (remind_at <= at) to fired and returns it;
  // nullopt when it was not scheduled or is not due: that is what makes a reminder fire once.
  virtual core::Result<std::optional<ReminderRow>> fire_reminder(std::string_view id,
                                                                 core::Instant at) = 0;
  virtual core::Result<std::int64_t> insert_notification(const NotificationRow& n) = 0;
  // false when the user has no such notification.
  virtual core::Result<bool> mark_notification_read(core::UserId user, std::int64_t id,
                                                    core::Instant at) = 0;
  // Sets the url, secret and created_at of the user's first webhook, or adds it.
  virtual core::Status set_webhook(const Webhook& hook) = 0;
  // Deletes the user's first webhook.
  virtual core::Status delete_webhook(core::UserId user) = 0;
  // Adds a webhook (hook.id ignored); returns its id.
  virtual core::Result<std::int64_t> insert_webhook(const Webhook& hook) = 0;
  // Changes the url, secret and events of the user's webhook hook.id; false when none.
  virtual core::Result<bool> update_webhook(const Webhook& hook) = 0;
  virtual core::Result<bool> delete_webhook_by_id(core::UserId user, std::int64_t id) = 0;
  virtual core::Status upsert_delivery(const Delivery& delivery) = 0;
  // Inserts or replaces the user's email channel.
  virtual core::Status set_email_channel(const EmailChannel& channel) = 0;
  virtual core::Status delete_email_channel(core::UserId user) = 0;
  // Inserts or replaces the user's notification preferences.
  virtual core::Status set_notification_settings(const PreferenceDocument& settings) = 0;
  // Inserts or replaces a task's override (one per task, the user's whose task it is).
  virtual core::Status set_notification_override(core::TaskId task,
                                                 const PreferenceDocument& override_) = 0;
  // Removes the user's task's override; false when it had none.
  virtual core::Result<bool> delete_notification_override(core::UserId user, core::TaskId task) = 0;
  // Adds a push subscription (sub.id ignored); returns its id.
  virtual core::Result<std::int64_t> insert_push_subscription(const PushSubscription& sub) = 0;
  // false when the user has no such subscription.
  virtual core::Result<bool> delete_push_subscription(core::UserId user, std::int64_t id) = 0;
  // Inserts or replaces the user's ntfy topic.
  virtual core::Status set_ntfy_channel(const NtfyChannel& channel) = 0;
  virtual core::Status delete_ntfy_channel(core::UserId user) = 0;
  // Keeps `value` under `name` unless a value is kept there already (the first writer wins).
  virtual core::Status insert_instance_key(std::string_view name, std::string_view value,
                                           core::Instant at) = 0;
  // Claims a waiting delivery for one attempt: when it is pending or failed, due by `at`, and
  // not claimed (or its lease ended by `at`), counts the attempt and leases it to `owner` until
  // `until`; returns it as claimed, nullopt when it was not claimable (another notifier has it, or
  // it is final).
  virtual core::Result<std::optional<Delivery>> claim_delivery(std::string_view reminder_id,
                                                               std::string_view channel,
                                                               std::string_view owner,
                                                               core::Instant at,
                                                               core::Instant until) = 0;
  // Records an attempt's outcome (state, last_error, next_attempt, sent_at, delivered_at) and
  // ends the lease, if `owner` still holds it; false when it does not (its lease ran out and
  // another notifier claimed it).
  virtual core::Result<bool> finish_delivery(const Delivery& delivery, std::string_view owner) = 0;
  // Dead deliveries back to pending with no attempts, due at `at`: the one named, or all when
  // none is; returns how many.
  virtual core::Result<int> redrive_deliveries(
      const std::optional<std::pair<std::string, std::string>>& key, core::Instant at) = 0;
  // The notifier's rows of a deleted user: reminders (so none fires), deliveries,
  // notifications, webhooks, the email channel, notification preferences and overrides, push
  // subscriptions and the ntfy topic.
  virtual core::Status delete_user_notifier_data(core::UserId user) = 0;
};

}  // namespace tickler::store
