#include "wire/notification_events.hpp"

#include <boost/json.hpp>

#include "wire/fields.hpp"

namespace tickler::wire {

boost::json::object ReminderFired::to_json() const {
  return {{"notification_id", notification_id},
          {"reminder_id", reminder_id},
          {"user_id", user_id},
          {"task_id", task_id},
          {"title", title},
          {"remind_at", core::format_rfc3339(remind_at)},
          {"fired_at", core::format_rfc3339(fired_at)}};
}

core::Result<ReminderFired> ReminderFired::from_json(const boost::json::object& data) {
  auto notification_id = fields::integer(data, "notification_id");
  if (!notification_id) return notification_id.error();
  auto reminder_id = fields::id_text(data, "reminder_id");
  if (!reminder_id) return reminder_id.error();
  auto user_id = fields::integer(data, "user_id");
  if (!user_id) return user_id.error();
  auto task_id = fields::integer(data, "task_id");
  if (!task_id) return task_id.error();
  auto title = fields::text(data, "title");
  if (!title) return title.error();
  auto remind_at = fields::instant(data, "remind_at");
  if (!remind_at) return remind_at.error();
  auto fired_at = fields::instant(data, "fired_at");
  if (!fired_at) return fired_at.error();
  return ReminderFired{*notification_id, std::move(*reminder_id), *user_id,
                       *task_id,         std::move(*title),       *remind_at,
                       *fired_at};
}

boost::json::object ReminderFired::to_webhook_json() const {
  return {{"type", k_type},
          {"reminder_id", reminder_id},
          {"task_id", task_id},
          {"user_id", user_id},
          {"title", title},
          {"remind_at", core::format_rfc3339(remind_at)},
          {"fired_at", core::format_rfc3339(fired_at)}};
}

boost::json::object notification_to_json(const ReminderFired& n,
                                         std::optional<core::Instant> read_at) {
  boost::json::value read = nullptr;
  if (read_at) read = core::format_rfc3339(*read_at);
  return {{"id", n.notification_id},
          {"task_id", n.task_id},
          {"reminder_id", n.reminder_id},
          {"title", n.title},
          {"remind_at", core::format_rfc3339(n.remind_at)},
          {"fired_at", core::format_rfc3339(n.fired_at)},
          {"read_at", std::move(read)}};
}

}  // namespace tickler::wire
