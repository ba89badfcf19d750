#pragma once
// GET /api/tasks query parameters → core::TaskQuery, and the opaque page cursor (base64url of a
// small JSON object holding sort, order and the keyset of the last task of the page).
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/task_query.hpp"

namespace tickler::services::api {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

[[nodiscard]] core::Result<core::TaskQuery> parse_list_query(core::UserId user,
                                                             const QueryParams& params);

[[nodiscard]] std::string encode_cursor(core::SortKey sort, core::SortOrder order,
                                        const core::Keyset& keyset);
// invalid_parameter if the cursor is malformed or was made for another sort or order.
[[nodiscard]] core::Result<core::Keyset> decode_cursor(std::string_view cursor, core::SortKey sort,
                                                       core::SortOrder order);

}  // namespace tickler::services::api
