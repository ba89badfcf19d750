#pragma once
// The notifier area of the Store, the notifier's tables: reminders (scheduled → fired |
// cancelled), the notifications they produce, users' webhooks, and deliveries per channel; their
// rows and their Reader and Writer (see store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

struct Webhook {
  core::UserId user_id = 0;
  std::string url;
  std::string secret;
  core::Instant created_at{};
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

// One reminder's delivery on one channel. A user's pending deliveries on a channel go out in
// the order they were created (created_at, then reminder_id), one at a time.
struct Delivery {
  std::string reminder_id;
  std::string channel;            // in_app | webhook
  std::string state = "pending";  // pending | delivered | failed
  int attempts = 0;
  std::optional<std::string> last_error;
  std::optional<core::Instant> next_attempt;
  std::optional<core::Instant> delivered_at;
  core::UserId user_id = 0;
  core::Instant created_at{};  // set when inserted; an update keeps the first one
};

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
  virtual core::Result<std::optional<Webhook>> webhook(core::UserId user) = 0;
  // The next delivery of each user and channel (the oldest pending one), where it is due by `at`;
  // soonest first. A user whose next delivery waits for a retry has none due.
  virtual core::Result<std::vector<Delivery>> pending_deliveries(core::Instant at, int limit) = 0;
  virtual core::Result<std::optional<ReminderRow>> reminder(std::string_view id) = 0;
  virtual core::Result<std::optional<EmailChannel>> email_channel(core::UserId user) = 0;
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
  virtual core::Status set_webhook(const Webhook& hook) = 0;
  virtual core::Status delete_webhook(core::UserId user) = 0;
  virtual core::Status upsert_delivery(const Delivery& delivery) = 0;
  // Inserts or replaces the user's email channel.
  virtual core::Status set_email_channel(const EmailChannel& channel) = 0;
  virtual core::Status delete_email_channel(core::UserId user) = 0;
  // The notifier's rows of a deleted user: reminders (so none fires), their deliveries,
  // notifications, the webhook and the email channel.
  virtual core::Status delete_user_notifier_data(core::UserId user) = 0;
};

}  // namespace tickler::store
