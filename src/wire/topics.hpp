#pragma once
// The topics events travel on and the producers that publish them (the CloudEvents `source`),
// named once: the payload structs of wire/ say which topic(s) each event takes, the services
// subscribe by these names. docs/events/asyncapi.yaml describes every topic (a channel) and its
// dead-letter topic ("<topic>.dlq").
#include <string_view>

namespace tickler::wire {

namespace topic {
inline constexpr std::string_view task_events = "task-events";
inline constexpr std::string_view reminders = "reminders";
inline constexpr std::string_view task_updates = "task-updates";
inline constexpr std::string_view notifications = "notifications";
}  // namespace topic

namespace source {
inline constexpr std::string_view api = "tickler/api";
inline constexpr std::string_view notifier = "tickler/notifier";
}  // namespace source

}  // namespace tickler::wire
