#include "wire/task_events.hpp"

#include <boost/json.hpp>

#include "wire/fields.hpp"
#include "wire/task_json.hpp"

namespace tickler::wire {
namespace {

struct OpNames {
  TaskOp op;
  std::string_view name;
  std::string_view type;
};
constexpr std::array<OpNames, 5> k_ops{{
    {TaskOp::created, "created", "tickler.task.created.v1"},
    {TaskOp::updated, "updated", "tickler.task.updated.v1"},
    {TaskOp::completed, "completed", "tickler.task.completed.v1"},
    {TaskOp::reopened, "reopened", "tickler.task.reopened.v1"},
    {TaskOp::deleted, "deleted", "tickler.task.deleted.v1"},
}};

const OpNames& names(TaskOp op) {
  for (const auto& n : k_ops) {
    if (n.op == op) return n;
  }
  return k_ops[1];
}

core::Result<TaskOp> op_member(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return core::field_error(std::string{key}, "is required");
  auto op = v->is_string() ? parse_task_op(v->as_string()) : std::nullopt;
  if (!op) {
    return core::field_error(std::string{key},
                             "must be created, updated, completed, reopened or deleted");
  }
  return *op;
}

}  // namespace

std::string_view to_string(TaskOp op) {
  return names(op).name;
}

std::optional<TaskOp> parse_task_op(std::string_view name) {
  for (const auto& n : k_ops) {
    if (n.name == name) return n.op;
  }
  return std::nullopt;
}

std::string_view task_event_type(TaskOp op) {
  return names(op).type;
}

std::optional<TaskOp> task_op_of_type(std::string_view type) {
  for (const auto& n : k_ops) {
    if (n.type == type) return n.op;
  }
  return std::nullopt;
}

boost::json::object task_changes(const boost::json::object& before,
                                 const boost::json::object& after) {
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

boost::json::object TaskEvent::to_json() const& {
  return TaskEvent{*this}.to_json();
}

boost::json::object TaskEvent::to_json() && {
  return {{"event_type", to_string(op)},       {"task_id", task_id},
          {"task_data", std::move(task_data)}, {"user_id", user_id},
          {"actor", std::move(actor)},         {"timestamp", core::format_rfc3339(timestamp)},
          {"changes", std::move(changes)},     {"request_id", std::move(request_id)}};
}

core::Result<TaskEvent> TaskEvent::from_json(boost::json::object data) {
  TaskEvent e;
  // task_id and user_id first: an event without them is not about a task at all.
  auto task_id = fields::integer(data, "task_id");
  if (!task_id) return task_id.error();
  auto user_id = fields::integer(data, "user_id");
  if (!user_id) return user_id.error();
  auto op = op_member(data, "event_type");
  if (!op) return op.error();
  auto task = fields::take_object(data, "task_data");
  if (!task) return task.error();
  auto actor = fields::text(data, "actor");
  if (!actor) return actor.error();
  auto timestamp = fields::instant(data, "timestamp");
  if (!timestamp) return timestamp.error();
  auto changes = fields::take_object(data, "changes");
  if (!changes) return changes.error();
  auto request_id = fields::text(data, "request_id");
  if (!request_id) return request_id.error();
  e.op = *op;
  e.task_id = *task_id;
  e.user_id = *user_id;
  e.task_data = std::move(*task);
  e.actor = std::move(*actor);
  e.timestamp = *timestamp;
  e.changes = std::move(*changes);
  e.request_id = std::move(*request_id);
  return e;
}

core::Result<core::Task> TaskEvent::task() const {
  auto task = task_from_json(task_data);
  if (!task) {
    return core::field_error("task_data", task.error().message);
  }
  // The task's JSON is its public form, without the owner: the event carries it.
  task->user_id = user_id;
  return task;
}

std::string TaskUpdate::subject() const {
  const auto* id = task.if_contains("id");
  return id && id->is_int64() ? std::to_string(id->as_int64()) : std::string{};
}

boost::json::object TaskUpdate::to_json() const& {
  return TaskUpdate{*this}.to_json();
}

boost::json::object TaskUpdate::to_json() && {
  return {
      {"op", to_string(op)}, {"task", std::move(task)}, {"user_id", user_id}, {"version", version}};
}

core::Result<TaskUpdate> TaskUpdate::from_json(boost::json::object data) {
  TaskUpdate u;
  auto op = op_member(data, "op");
  if (!op) return op.error();
  auto task = fields::take_object(data, "task");
  if (!task) return task.error();
  if (auto id = fields::integer(*task, "id"); !id) {
    return core::field_error("task", id.error().message);
  }
  auto user_id = fields::integer(data, "user_id");
  if (!user_id) return user_id.error();
  auto version = fields::integer(data, "version");
  if (!version) return version.error();
  u.op = *op;
  u.task = std::move(*task);
  u.user_id = *user_id;
  u.version = *version;
  return u;
}

}  // namespace tickler::wire
