#pragma once
// Request bodies to core drafts and patches (type errors name the field; domain rules are
// core::validate's). The JSON of tasks themselves is in src/wire.
#include <boost/json/object.hpp>

#include "core/quick_add.hpp"
#include "core/result.hpp"
#include "core/task.hpp"
#include "core/validation.hpp"

namespace tickler::services::api {

[[nodiscard]] core::Result<core::TaskDraft> draft_from_json(const boost::json::object& body);
[[nodiscard]] core::Result<core::TaskPatch> patch_from_json(const boost::json::object& body);

// {"quick": "...", "time_zone"?}: true when the body is a quick-add request.
[[nodiscard]] bool is_quick_add(const boost::json::object& body);
// The quick-add line read at `now` in the body's time zone (default UTC).
[[nodiscard]] core::Result<core::QuickAddResult> quick_from_json(const boost::json::object& body,
                                                                 core::Instant now,
                                                                 std::string& time_zone);
[[nodiscard]] core::TaskDraft draft_from_quick(const core::QuickAddResult& quick,
                                               std::string time_zone);
[[nodiscard]] boost::json::object quick_to_json(const core::QuickAddResult& quick);

}  // namespace tickler::services::api
