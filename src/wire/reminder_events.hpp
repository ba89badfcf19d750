#pragma once
// The events of a task's reminders, published by the api on reminders for the notifier
// (docs/events/asyncapi.yaml). A reminder's id is stable (core::plan_reminders): the notifier
// upserts by it, so a reminder scheduled again is moved, not doubled. Subject: the task id.
#include <array>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/task.hpp"
#include "wire/topics.hpp"

namespace tickler::wire {

// tickler.reminder.scheduled.v1: {reminder_id, task_id, title, due_at (or null), remind_at,
// user_id, time_zone (the task's; "UTC" when an older event has none)}. Only for reminders still in
// the future when the change was made.
struct ReminderScheduled {
  static constexpr std::array<std::string_view, 1> topics{topic::reminders};
  static constexpr std::string_view source = source::api;
  static constexpr std::string_view k_type = "tickler.reminder.scheduled.v1";

  std::string reminder_id;
  core::TaskId task_id = 0;
  std::string title;
  std::optional<core::Instant> due_at;
  core::Instant remind_at{};
  core::UserId user_id = 0;
  std::string time_zone = "UTC";
  core::Priority priority = core::Priority::none;  // the task's: "none" when absent (older events)

  [[nodiscard]] std::string_view type() const { return k_type; }
  [[nodiscard]] std::string subject() const { return std::to_string(task_id); }
  [[nodiscard]] boost::json::object to_json() const;
  [[nodiscard]] static core::Result<ReminderScheduled> from_json(const boost::json::object& data);
};

// tickler.reminder.cancelled.v1: {reminder_id, task_id, user_id, remind_at} — a reminder the
// change removed (moved, deleted with its task, or the task completed).
struct ReminderCancelled {
  static constexpr std::array<std::string_view, 1> topics{topic::reminders};
  static constexpr std::string_view source = source::api;
  static constexpr std::string_view k_type = "tickler.reminder.cancelled.v1";

  std::string reminder_id;
  core::TaskId task_id = 0;
  core::UserId user_id = 0;
  core::Instant remind_at{};

  [[nodiscard]] std::string_view type() const { return k_type; }
  [[nodiscard]] std::string subject() const { return std::to_string(task_id); }
  [[nodiscard]] boost::json::object to_json() const;
  [[nodiscard]] static core::Result<ReminderCancelled> from_json(const boost::json::object& data);
};

}  // namespace tickler::wire
