#pragma once
// Notification preferences and task overrides as JSON (the REST bodies of
// /api/me/notification-settings and /api/tasks/{id}/notification-override, and the documents the
// store keeps): reading them with precise validation errors (422 naming the field), writing them.
// The rules themselves (which channels, quiet hours' end) are core/notification_prefs.hpp's.
#include <boost/json/object.hpp>
#include <string_view>

#include "core/notification_prefs.hpp"
#include "core/result.hpp"

namespace tickler::services::notifier {

// {time_zone, quiet_hours: null | {start, end}, channels_by_priority: {high, medium, low, none},
//  digest: null | {time, channels}}.
[[nodiscard]] boost::json::object prefs_json(const core::NotificationPrefs& prefs);
// A PUT body, whole: every member optional, the absent ones keep `base`'s values.
[[nodiscard]] core::Result<core::NotificationPrefs> read_prefs(const boost::json::object& body,
                                                               core::NotificationPrefs base);
// A stored document (written by prefs_json); the defaults when it cannot be read.
[[nodiscard]] core::NotificationPrefs stored_prefs(std::string_view body);

// {channels: [kinds] | null, quiet_hours: "respect" | "ignore"}.
[[nodiscard]] boost::json::object override_json(const core::NotificationOverride& o);
[[nodiscard]] core::Result<core::NotificationOverride> read_override(
    const boost::json::object& body);
[[nodiscard]] core::NotificationOverride stored_override(std::string_view body);

}  // namespace tickler::services::notifier
