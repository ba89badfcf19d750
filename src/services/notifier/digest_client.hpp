#pragma once
// The DigestSource of the notifier role: the api's POST /internal/digest through Dapr service
// invocation (the tasks live in the api's database). A failure is `unavailable`, so the digest's
// delivery attempt is retried like any other.
#include <string>

#include "bus/dapr/sidecar_client.hpp"
#include "services/notifier/digest.hpp"

namespace tickler::services::notifier {

// The client must outlive the function.
[[nodiscard]] DigestSource digest_by_invocation(bus::dapr::DaprClient& dapr,
                                                std::string api_app_id);

}  // namespace tickler::services::notifier
