#pragma once
// Request bodies to core drafts and patches (type errors name the field; domain rules are
// core::validate's). The JSON of tasks themselves is in src/wire.
#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/validation.hpp"

namespace tickler::services::api {

[[nodiscard]] core::Result<core::TaskDraft> draft_from_json(const boost::json::object& body);
[[nodiscard]] core::Result<core::TaskPatch> patch_from_json(const boost::json::object& body);

}  // namespace tickler::services::api
