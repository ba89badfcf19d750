#pragma once
// The api wired into a process: its routes, its hourly purge of idempotency keys (started with
// the process, stopped when it stops accepting) and its store metrics. tickler serve and
// tickler api call the same wire_api; the api role adds the sidecar's route for the recurrer.
#include <memory>
#include <string>

#include "services/api/api_service.hpp"
#include "services/ports.hpp"

namespace tickler::services::api {

[[nodiscard]] std::unique_ptr<ApiService> wire_api(const Ports& ports, ApiSettings settings);

// The occurrence the recurrer asked for, created (or found) as the recurrer: in-process the
// recurrer's CreateOccurrence, in distributed mode what POST /internal/occurrences does.
core::Result<core::Task> create_recurrer_occurrence(ApiService& api,
                                                    const core::OccurrenceRequest& request);

// POST /internal/occurrences: the recurrer's request through Dapr service invocation; answers
// only calls carrying the app token (APP_API_TOKEN).
void add_occurrence_route(const Ports& ports, ApiService& api, std::string app_token);

}  // namespace tickler::services::api
