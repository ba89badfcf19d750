#pragma once
// Service invocation on the HTTP side of a process: the target of another app's method through
// the sidecar, and a route handler that passes a request on to another app and its answer back
// (how one origin serves routes whose service runs in another process).
#include <string>
#include <string_view>

#include "base/offload.hpp"
#include "bus/dapr/sidecar_client.hpp"
#include "http/types.hpp"

namespace tickler::bus::dapr {

// /v1.0/invoke/<app_id>/method<path>; path starts with '/' and may carry a query.
[[nodiscard]] std::string invocation_target(std::string_view app_id, std::string_view path);

// Passes the request on to app_id as it came (method, path, query, body, Authorization and the
// conditional and idempotency headers, Accept, Origin and MCP's headers, the request id) and its
// answer back with its end-to-end headers (ETag, Location, …); 503 unavailable when app_id cannot
// be reached. The client and the pool must outlive the handler.
[[nodiscard]] http::Handler forward_to(DaprClient& client, base::Offload& offload,
                                       std::string app_id);

}  // namespace tickler::bus::dapr
