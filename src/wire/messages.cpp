#include "wire/messages.hpp"

#include <boost/json.hpp>

#include "wire/fields.hpp"

namespace tickler::wire {
namespace {

template <class T>
core::Result<T> decode(std::string_view data) {
  auto o = fields::parse_object(data);
  if (!o) return o.error();
  return T::from_json(std::move(*o));
}

core::Error not_carried(std::string_view type, std::string_view topic) {
  return core::field_error(
      "type", "\"" + std::string{type} + "\" is not an event of " + std::string{topic});
}

// A task event whose data says another op than its type is refused (which one would be true?).
template <class T>
core::Result<T> decode_task(std::string_view type, std::string_view data, std::string_view key) {
  auto e = decode<T>(data);
  if (e && e->type() != type) {
    return core::field_error(std::string{key}, "is \"" + std::string{to_string(e->op)} +
                                                   "\" but the event's type is " +
                                                   std::string{type});
  }
  return e;
}

template <class Variant, class T>
core::Result<Variant> as(core::Result<T> r) {
  if (!r) return r.error();
  return Variant{std::move(*r)};
}

template <class T>
std::vector<std::string_view> types_of() {
  if constexpr (requires { T::k_type; }) {
    return {T::k_type};
  } else {
    return {task_event_type(TaskOp::created), task_event_type(TaskOp::updated),
            task_event_type(TaskOp::completed), task_event_type(TaskOp::reopened),
            task_event_type(TaskOp::deleted)};
  }
}

template <class... T>
void declare(std::vector<DeclaredEvent>& out, std::string_view topic,
             std::type_identity<std::variant<T...>> /*carried*/) {
  (
      [&] {
        for (auto type : types_of<T>()) out.push_back({topic, type, T::source});
      }(),
      ...);
}

}  // namespace

core::Result<TaskEventsMessage> read_task_events(std::string_view type, std::string_view data) {
  using M = TaskEventsMessage;
  if (task_op_of_type(type)) return as<M>(decode_task<TaskEvent>(type, data, "event_type"));
  if (type == UserDeleted::k_type) return as<M>(decode<UserDeleted>(data));
  return not_carried(type, topic::task_events);
}

core::Result<RemindersMessage> read_reminders(std::string_view type, std::string_view data) {
  using M = RemindersMessage;
  if (type == ReminderScheduled::k_type) return as<M>(decode<ReminderScheduled>(data));
  if (type == ReminderCancelled::k_type) return as<M>(decode<ReminderCancelled>(data));
  if (type == UserDeleted::k_type) return as<M>(decode<UserDeleted>(data));
  return not_carried(type, topic::reminders);
}

core::Result<TaskUpdatesMessage> read_task_updates(std::string_view type, std::string_view data) {
  using M = TaskUpdatesMessage;
  if (task_op_of_type(type)) return as<M>(decode_task<TaskUpdate>(type, data, "op"));
  if (type == UserRevoked::k_type) return as<M>(decode<UserRevoked>(data));
  return not_carried(type, topic::task_updates);
}

core::Result<ReminderFired> read_notifications(std::string_view type, std::string_view data) {
  if (type == ReminderFired::k_type) return decode<ReminderFired>(data);
  return not_carried(type, topic::notifications);
}

std::vector<DeclaredEvent> declared_events() {
  std::vector<DeclaredEvent> out;
  declare(out, topic::task_events, std::type_identity<TaskEventsMessage>{});
  declare(out, topic::reminders, std::type_identity<RemindersMessage>{});
  declare(out, topic::task_updates, std::type_identity<TaskUpdatesMessage>{});
  declare(out, topic::notifications, std::type_identity<NotificationsMessage>{});
  return out;
}

}  // namespace tickler::wire
