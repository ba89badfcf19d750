#pragma once
// The wire format of tasks and users: to JSON, and request bodies to core drafts and patches
// (type errors name the field; domain rules are core::validate's).
#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/validation.hpp"

namespace tickler::services::api {

// sp: where the JSON lives (a monotonic resource makes a listing one allocation run).
[[nodiscard]] boost::json::object task_to_json(const core::Task& task,
                                               boost::json::storage_ptr sp = {});
[[nodiscard]] boost::json::object user_to_json(const core::User& user);

[[nodiscard]] core::Result<core::TaskDraft> draft_from_json(const boost::json::object& body);
[[nodiscard]] core::Result<core::TaskPatch> patch_from_json(const boost::json::object& body);

}  // namespace tickler::services::api
