#pragma once
// What each topic carries (one variant of payload structs per topic) and reading an event of a
// topic by its CloudEvents type — the consumers' side of wire/. declared_events() lists every
// (topic, type, source) the code knows; docs/events/asyncapi.yaml describes the same set
// (tests/events checks it does).
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "wire/account_events.hpp"
#include "wire/notification_events.hpp"
#include "wire/reminder_events.hpp"
#include "wire/task_events.hpp"

namespace tickler::wire {

using TaskEventsMessage = std::variant<TaskEvent, UserDeleted>;
using RemindersMessage = std::variant<ReminderScheduled, ReminderCancelled, UserDeleted>;
using TaskUpdatesMessage = std::variant<TaskUpdate, UserRevoked>;
using NotificationsMessage = std::variant<ReminderFired>;

// The payload of an event of the topic, chosen by its type. Errors: invalid_json when data is
// not a JSON object; validation_failed naming "type" for a type the topic does not carry, or
// the member that is missing or of the wrong type.
[[nodiscard]] core::Result<TaskEventsMessage> read_task_events(std::string_view type,
                                                               std::string_view data);
[[nodiscard]] core::Result<RemindersMessage> read_reminders(std::string_view type,
                                                            std::string_view data);
[[nodiscard]] core::Result<TaskUpdatesMessage> read_task_updates(std::string_view type,
                                                                 std::string_view data);
[[nodiscard]] core::Result<ReminderFired> read_notifications(std::string_view type,
                                                             std::string_view data);

struct DeclaredEvent {
  std::string_view topic;
  std::string_view type;
  std::string_view source;
  friend bool operator==(const DeclaredEvent&, const DeclaredEvent&) = default;
};
// Every event of every topic, from the variants above, topic by topic.
[[nodiscard]] std::vector<DeclaredEvent> declared_events();

}  // namespace tickler::wire
