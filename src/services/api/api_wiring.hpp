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

// A route of another role the api passes on (history → auditor, notifications → notifier). An
// OAuth access token is good on /mcp only, so when a tool runs such a route as an OAuth client
// (Pipeline::invoke), the request goes on with a one-minute session token of the same user
// instead: the api has checked the caller's token and the route's scope already.
[[nodiscard]] http::Handler on_behalf_of_caller(ApiService& api, http::Handler forward);

// POST /internal/occurrences: the recurrer's request through Dapr service invocation; answers
// only calls carrying the app token (APP_API_TOKEN).
void add_occurrence_route(const Ports& ports, ApiService& api, std::string app_token);

}  // namespace tickler::services::api
