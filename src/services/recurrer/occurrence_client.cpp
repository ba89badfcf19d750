#include "services/recurrer/occurrence_client.hpp"

#include <boost/json.hpp>

#include "http/json_fields.hpp"
#include "wire/occurrence_json.hpp"
#include "wire/task_json.hpp"

namespace tickler::services::recurrer {
namespace {

// The api creates (or finds) the occurrence, keyed by series position.
core::Result<core::Task> via_api(bus::dapr::DaprClient& dapr, const std::string& api_app_id,
                                 const core::OccurrenceRequest& request) {
  auto r = dapr.invoke(api_app_id, "internal/occurrences",
                       boost::json::serialize(wire::occurrence_to_json(request)),
                       {{"Idempotency-Key", wire::occurrence_key(request)}});
  if (!r) return r.error();
  if (r->status == 404) return core::make_error(core::Errc::not_found, "the series has ended");
  if (r->status == 400 || r->status == 422) {
    return core::make_error(core::Errc::validation_failed, "api refused: " + r->body);
  }
  if (r->status != 200 && r->status != 201) {
    return core::make_error(core::Errc::unavailable,
                            "api answered " + std::to_string(r->status) + ": " + r->body);
  }
  auto json = http::parse_json_object(r->body);
  if (!json) return json.error();
  return wire::task_from_json(*json);
}

}  // namespace

CreateOccurrence occurrences_by_invocation(bus::dapr::DaprClient& dapr, std::string api_app_id) {
  return [&dapr, app = std::move(api_app_id)](const core::OccurrenceRequest& request) {
    return via_api(dapr, app, request);
  };
}

}  // namespace tickler::services::recurrer
