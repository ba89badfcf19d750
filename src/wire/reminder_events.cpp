#include "wire/reminder_events.hpp"

#include <boost/json.hpp>

#include "wire/fields.hpp"

namespace tickler::wire {

boost::json::object ReminderScheduled::to_json() const {
  boost::json::value due = nullptr;
  if (due_at) due = core::format_rfc3339(*due_at);
  return {{"reminder_id", reminder_id},
          {"task_id", task_id},
          {"title", title},
          {"due_at", std::move(due)},
          {"remind_at", core::format_rfc3339(remind_at)},
          {"user_id", user_id},
          {"time_zone", time_zone},
          {"priority", core::to_string(priority)}};
}

core::Result<ReminderScheduled> ReminderScheduled::from_json(const boost::json::object& data) {
  auto reminder_id = fields::id_text(data, "reminder_id");
  if (!reminder_id) return reminder_id.error();
  auto task_id = fields::integer(data, "task_id");
  if (!task_id) return task_id.error();
  auto title = fields::text(data, "title");
  if (!title) return title.error();
  auto due_at = fields::nullable_instant(data, "due_at");
  if (!due_at) return due_at.error();
  auto remind_at = fields::instant(data, "remind_at");
  if (!remind_at) return remind_at.error();
  auto user_id = fields::integer(data, "user_id");
  if (!user_id) return user_id.error();
  std::string time_zone = "UTC";
  if (data.contains("time_zone")) {
    auto zone = fields::text(data, "time_zone");
    if (!zone) return zone.error();
    time_zone = std::move(*zone);
  }
  auto priority = core::Priority::none;
  if (data.contains("priority")) {
    auto text = fields::text(data, "priority");
    if (!text) return text.error();
    auto parsed = core::parse_priority(*text);
    if (!parsed) {
      return core::field_error("priority", "must be none, low, medium or high");
    }
    priority = *parsed;
  }
  return ReminderScheduled{
      std::move(*reminder_id), *task_id, std::move(*title), *due_at, *remind_at, *user_id,
      std::move(time_zone),    priority};
}

boost::json::object ReminderCancelled::to_json() const {
  return {{"reminder_id", reminder_id},
          {"task_id", task_id},
          {"user_id", user_id},
          {"remind_at", core::format_rfc3339(remind_at)}};
}

core::Result<ReminderCancelled> ReminderCancelled::from_json(const boost::json::object& data) {
  auto reminder_id = fields::id_text(data, "reminder_id");
  if (!reminder_id) return reminder_id.error();
  auto task_id = fields::integer(data, "task_id");
  if (!task_id) return task_id.error();
  auto user_id = fields::integer(data, "user_id");
  if (!user_id) return user_id.error();
  auto remind_at = fields::instant(data, "remind_at");
  if (!remind_at) return remind_at.error();
  return ReminderCancelled{std::move(*reminder_id), *task_id, *user_id, *remind_at};
}

}  // namespace tickler::wire
