#pragma once
// The JSON of the daily digest's read: the notifier asks the api (POST /internal/digest through
// Dapr service invocation) for a user's pending tasks due before the end of the digest's day.
#include <boost/json/object.hpp>
#include <vector>

#include "core/digest_item.hpp"
#include "core/result.hpp"

namespace tickler::wire {

struct DigestRequest {
  core::UserId user_id = 0;
  core::Instant before{};  // the end of the digest's local day
};

[[nodiscard]] boost::json::object digest_request_to_json(const DigestRequest& r);
// validation_failed naming the field when one is missing or of the wrong type.
[[nodiscard]] core::Result<DigestRequest> digest_request_from_json(const boost::json::object& o);

// {"items": [{task_id, title, due_at, time_zone}, …]}
[[nodiscard]] boost::json::object digest_items_to_json(const std::vector<core::DigestItem>& items);
[[nodiscard]] core::Result<std::vector<core::DigestItem>> digest_items_from_json(
    const boost::json::object& o);

}  // namespace tickler::wire
