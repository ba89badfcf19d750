#pragma once
// The events of a change of a task, published by the api (docs/events/asyncapi.yaml):
//   TaskEvent  on task-events  (the recurrer, the auditor): what changed, by whom, when;
//   TaskUpdate on task-updates (the realtime role): the task as it is now, for live clients.
// Both have the CloudEvents type tickler.task.<op>.v1 and the task id as subject.
#include <array>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/task.hpp"
#include "wire/topics.hpp"

namespace tickler::wire {

enum class TaskOp { created, updated, completed, reopened, deleted };
[[nodiscard]] std::string_view to_string(TaskOp op);
[[nodiscard]] std::optional<TaskOp> parse_task_op(std::string_view name);
// "tickler.task.<op>.v1", and back (nullopt for any other type).
[[nodiscard]] std::string_view task_event_type(TaskOp op);
[[nodiscard]] std::optional<TaskOp> task_op_of_type(std::string_view type);

// {field: {before, after}} over two task JSONs (an empty object for a side that does not exist),
// leaving out what changes on every write (updated_at, version).
[[nodiscard]] boost::json::object task_changes(const boost::json::object& before,
                                               const boost::json::object& after);

// task-events: {event_type, task_id, task_data, user_id, actor, timestamp, changes, request_id}.
struct TaskEvent {
  static constexpr std::array<std::string_view, 1> topics{topic::task_events};
  static constexpr std::string_view source = source::api;

  TaskOp op = TaskOp::updated;  // "event_type"
  core::TaskId task_id = 0;
  core::UserId user_id = 0;
  boost::json::object task_data;  // the task (task_to_json): as it is now, as it was if deleted
  std::string actor;              // "user:<id>", "recurrer", …
  core::Instant timestamp{};
  boost::json::object changes;  // task_changes(before, after)
  std::string request_id;       // of the request that made the change ("" when none)

  [[nodiscard]] std::string_view type() const { return task_event_type(op); }
  [[nodiscard]] std::string subject() const { return std::to_string(task_id); }
  [[nodiscard]] boost::json::object to_json() const&;
  [[nodiscard]] boost::json::object to_json() &&;  // moves task_data and changes
  // validation_failed naming the member that is missing or of the wrong type.
  [[nodiscard]] static core::Result<TaskEvent> from_json(boost::json::object data);
  // task_data as a core::Task of user_id; validation_failed naming the member otherwise.
  [[nodiscard]] core::Result<core::Task> task() const;
};

// task-updates: {op, task, user_id, version}.
struct TaskUpdate {
  static constexpr std::array<std::string_view, 1> topics{topic::task_updates};
  static constexpr std::string_view source = source::api;

  TaskOp op = TaskOp::updated;
  boost::json::object task;  // the task (task_to_json), with its "id"
  core::UserId user_id = 0;
  std::int64_t version = 0;  // the task's

  [[nodiscard]] std::string_view type() const { return task_event_type(op); }
  [[nodiscard]] std::string subject() const;  // the task's id
  [[nodiscard]] boost::json::object to_json() const&;
  [[nodiscard]] boost::json::object to_json() &&;  // moves task
  [[nodiscard]] static core::Result<TaskUpdate> from_json(boost::json::object data);
};

}  // namespace tickler::wire
