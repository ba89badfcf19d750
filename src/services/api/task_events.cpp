#include "services/api/task_events.hpp"

#include <boost/json.hpp>

#include "bus/event.hpp"
#include "core/reminder_policy.hpp"
#include "wire/task_json.hpp"

namespace tickler::services::api {
namespace {

// {field: {before, after}} over the task's JSON, leaving out what changes on every write.
boost::json::object diff(const boost::json::object& before, const boost::json::object& after) {
  boost::json::object out;
  auto differs = [&](std::string_view key) {
    if (key == "updated_at" || key == "version") return;
    const auto* b = before.if_contains(key);
    const auto* a = after.if_contains(key);
    const boost::json::value null;
    if (!b) b = &null;
    if (!a) a = &null;
    if (*a != *b) out[key] = boost::json::object{{"before", *b}, {"after", *a}};
  };
  for (const auto& [key, value] : after) differs(key);
  for (const auto& [key, value] : before) {
    if (!after.contains(key)) differs(key);
  }
  return out;
}

store::OutboxRow row(std::string_view topic, std::string type, const core::Task& task,
                     const boost::json::object& data, core::Instant now) {
  store::OutboxRow r;
  r.topic = std::string{topic};
  r.type = std::move(type);
  r.source = std::string{k_api_source};
  r.subject = std::to_string(task.id);
  r.user_id = task.user_id;
  r.data = boost::json::serialize(data);
  r.created_at = now;
  return r;
}

}  // namespace

std::vector<store::OutboxRow> account_events(core::UserId user, std::int64_t token_generation,
                                             bool deleted, core::Instant now) {
  auto make = [&](std::string_view topic, std::string_view type, boost::json::object data) {
    store::OutboxRow r;
    r.topic = std::string{topic};
    r.type = std::string{type};
    r.source = std::string{k_api_source};
    r.subject = "user/" + std::to_string(user);
    r.user_id = user;
    r.data = boost::json::serialize(data);
    r.created_at = now;
    return r;
  };
  std::vector<store::OutboxRow> rows;
  rows.push_back(make(bus::topic::task_updates, k_user_revoked_type,
                      {{"user_id", user}, {"token_generation", token_generation}}));
  if (deleted) {
    rows.push_back(make(bus::topic::reminders, k_user_deleted_type, {{"user_id", user}}));
    rows.push_back(make(bus::topic::task_events, k_user_deleted_type, {{"user_id", user}}));
  }
  return rows;
}

std::string_view to_string(TaskOp op) {
  switch (op) {
    case TaskOp::created:
      return "created";
    case TaskOp::updated:
      return "updated";
    case TaskOp::completed:
      return "completed";
    case TaskOp::reopened:
      return "reopened";
    case TaskOp::deleted:
      return "deleted";
  }
  return "updated";
}

std::vector<store::OutboxRow> task_change_events(TaskOp op, const std::optional<core::Task>& before,
                                                 const std::optional<core::Task>& after,
                                                 const Actor& actor, core::Instant now) {
  const core::Task& task = after ? *after : *before;
  const auto op_name = std::string{to_string(op)};
  const auto before_json = before ? wire::task_to_json(*before) : boost::json::object{};
  const auto task_json = wire::task_to_json(task);
  std::vector<store::OutboxRow> rows;

  boost::json::object event{
      {"event_type", op_name},
      {"task_id", task.id},
      {"task_data", task_json},
      {"user_id", task.user_id},
      {"actor", actor.name},
      {"timestamp", core::format_rfc3339(now)},
      {"changes", diff(before_json, after ? task_json : boost::json::object{})},
      {"request_id", actor.request_id}};
  rows.push_back(row(bus::topic::task_events, "tickler.task." + op_name + ".v1", task, event, now));

  boost::json::object update{
      {"op", op_name}, {"task", task_json}, {"user_id", task.user_id}, {"version", task.version}};
  rows.push_back(
      row(bus::topic::task_updates, "tickler.task." + op_name + ".v1", task, update, now));

  // Reminders: cancel those that no longer exist, (re)schedule the current future ones. The
  // notifier upserts by id, so re-sending an unchanged reminder is harmless.
  const auto old_set =
      before ? core::plan_reminders(*before) : std::vector<core::PlannedReminder>{};
  const auto new_set = after ? core::plan_reminders(*after) : std::vector<core::PlannedReminder>{};
  for (const auto& r : old_set) {
    if (std::find(new_set.begin(), new_set.end(), r) != new_set.end()) continue;
    boost::json::object data{{"reminder_id", r.id},
                             {"task_id", task.id},
                             {"user_id", task.user_id},
                             {"remind_at", core::format_rfc3339(r.remind_at)}};
    rows.push_back(row(bus::topic::reminders, "tickler.reminder.cancelled.v1", task, data, now));
  }
  for (const auto& r : new_set) {
    if (r.remind_at <= now) continue;  // a reminder already in the past when set is not sent
    boost::json::value due = nullptr;
    if (task.due_at) due = core::format_rfc3339(*task.due_at);
    boost::json::object data{{"reminder_id", r.id},
                             {"task_id", task.id},
                             {"title", task.title},
                             {"due_at", due},
                             {"remind_at", core::format_rfc3339(r.remind_at)},
                             {"user_id", task.user_id}};
    rows.push_back(row(bus::topic::reminders, "tickler.reminder.scheduled.v1", task, data, now));
  }
  return rows;
}

}  // namespace tickler::services::api
