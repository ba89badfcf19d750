#pragma once
// A reminder that fired, in its three forms: the notifications-topic event the notifier publishes
// for the realtime role (and that a WebSocket client receives as "notification"), the signed body
// POSTed to the user's webhook, and an item of GET /api/notifications (docs/api.md). The field
// names of a notification are written here only.
#include <array>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/task.hpp"
#include "wire/topics.hpp"

namespace tickler::wire {

// tickler.reminder.fired.v1 on notifications: {notification_id, reminder_id, user_id, task_id,
// title, remind_at, fired_at}. Subject: the reminder id.
struct ReminderFired {
  static constexpr std::array<std::string_view, 1> topics{topic::notifications};
  static constexpr std::string_view source = source::notifier;
  static constexpr std::string_view k_type = "tickler.reminder.fired.v1";

  std::int64_t notification_id = 0;
  std::string reminder_id;
  core::UserId user_id = 0;
  core::TaskId task_id = 0;
  std::string title;
  core::Instant remind_at{};
  core::Instant fired_at{};

  [[nodiscard]] std::string_view type() const { return k_type; }
  [[nodiscard]] std::string subject() const { return reminder_id; }
  [[nodiscard]] boost::json::object to_json() const;
  [[nodiscard]] static core::Result<ReminderFired> from_json(const boost::json::object& data);

  // The webhook body: {type, reminder_id, task_id, user_id, title, remind_at, fired_at} (no
  // notification_id: a delivery is per reminder, X-Tickler-Delivery names it).
  [[nodiscard]] boost::json::object to_webhook_json() const;
};

// An item of GET /api/notifications: {id, task_id, reminder_id, title, remind_at, fired_at,
// read_at (or null)}; id is the notification_id.
[[nodiscard]] boost::json::object notification_to_json(const ReminderFired& n,
                                                       std::optional<core::Instant> read_at);

}  // namespace tickler::wire
