#pragma once
// Rows of the notifier's tables: reminders (scheduled → fired | cancelled), the notifications
// they produce, users' webhooks, and deliveries per channel.
#include <cstdint>
#include <optional>
#include <string>

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

}  // namespace tickler::store
