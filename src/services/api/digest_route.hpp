#pragma once
// The daily digest's tasks, read from the api's tables: a user's pending tasks due before the end
// of the digest's local day (overdue or due that day), by due time, at most 100. The notifier
// reads them in-process in tickler serve (its DigestSource), and through the api role's
// POST /internal/digest in the distributed mode, which answers only a sidecar with the app token
// (Dapr access control lets only the notifier call it).
#include <string>
#include <vector>

#include "core/digest_item.hpp"
#include "core/result.hpp"
#include "services/ports.hpp"
#include "store/store.hpp"

namespace tickler::services::api {

[[nodiscard]] core::Result<std::vector<core::DigestItem>> digest_tasks(store::Store& store,
                                                                       core::UserId user,
                                                                       core::Instant day_end);

void add_digest_route(const Ports& ports, std::string app_token);

}  // namespace tickler::services::api
