#pragma once
// The JSON form of tasks and users, shared by the REST answers and the event payloads that
// services exchange (so a consumer reads a task exactly as the api wrote it).
#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::wire {

// sp: where the JSON lives (a monotonic resource makes a listing one allocation run).
[[nodiscard]] boost::json::object task_to_json(const core::Task& task,
                                               boost::json::storage_ptr sp = {});
[[nodiscard]] boost::json::object user_to_json(const core::User& user);
[[nodiscard]] boost::json::array reminders_to_json(const std::vector<core::ReminderSpec>& r);

// A task as task_to_json wrote it; validation_failed naming the field otherwise.
[[nodiscard]] core::Result<core::Task> task_from_json(const boost::json::object& o);
// [{"before_minutes": N} | {"at": "<RFC 3339>"}, …]; field errors name "reminders".
[[nodiscard]] core::Result<std::vector<core::ReminderSpec>> reminders_from_json(
    const boost::json::value& v);
// {"rrule": "...", "mode": "schedule" | "completion"} (mode optional, default schedule).
[[nodiscard]] core::Result<core::Recurrence> recurrence_from_json(const boost::json::value& v);

}  // namespace tickler::wire
