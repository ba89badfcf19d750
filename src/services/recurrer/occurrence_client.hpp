#pragma once
// CreateOccurrence in distributed mode: POST /internal/occurrences on the api through Dapr
// service invocation, with the occurrence's idempotency key (one per series position), so a
// redelivered completion or a second recurrer makes one task at most.
#include <string>

#include "bus/dapr/sidecar_client.hpp"
#include "services/recurrer/recurrer_service.hpp"

namespace tickler::services::recurrer {

// 404 → not_found (the series ended), 400/422 → validation_failed, any other failure
// → unavailable (retried). The client must outlive the function.
[[nodiscard]] CreateOccurrence occurrences_by_invocation(bus::dapr::DaprClient& dapr,
                                                         std::string api_app_id);

}  // namespace tickler::services::recurrer
