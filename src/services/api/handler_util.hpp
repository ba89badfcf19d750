#pragma once
// Small pieces the api handlers share: path ids, ETag/If-Match, task responses, result → response.
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/task.hpp"
#include "http/response.hpp"
#include "http/types.hpp"

namespace tickler::services::api {

// The {id} path parameter as a positive id; not_found otherwise (a bad id names no task).
[[nodiscard]] core::Result<core::TaskId> task_id_param(const http::RequestContext& ctx);
// If-Match: nullopt when absent or "*"; -1 (matches no version) when unparsable.
[[nodiscard]] std::optional<std::int64_t> if_match_version(std::string_view header);
[[nodiscard]] std::string etag(std::int64_t version);
[[nodiscard]] http::Response task_response(http::beast_http::status status, const core::Task& task);

}  // namespace tickler::services::api
