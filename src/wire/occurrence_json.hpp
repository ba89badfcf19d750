#pragma once
// The JSON of an OccurrenceRequest: the body the recurrer sends to the api's internal route
// (POST /internal/occurrences) through Dapr service invocation.
#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/series.hpp"

namespace tickler::wire {

[[nodiscard]] boost::json::object occurrence_to_json(const core::OccurrenceRequest& r);
// validation_failed naming the field when one is missing or of the wrong type.
[[nodiscard]] core::Result<core::OccurrenceRequest> occurrence_from_json(
    const boost::json::object& o);
// The idempotency key of an occurrence: one per series position.
[[nodiscard]] std::string occurrence_key(const core::OccurrenceRequest& r);

}  // namespace tickler::wire
