#include "wire/occurrence_json.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"

namespace tickler::wire {
namespace {

core::Result<std::int64_t> integer(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (!v || !v->is_int64()) return core::field_error(std::string{name}, "must be an integer");
  return v->as_int64();
}

}  // namespace

boost::json::object occurrence_to_json(const core::OccurrenceRequest& r) {
  return {{"user_id", r.user_id},
          {"previous_id", r.previous_id},
          {"previous_index", r.previous_index},
          {"series_id", r.series_id},
          {"index", r.index},
          {"due", core::format_rfc3339(r.due)}};
}

core::Result<core::OccurrenceRequest> occurrence_from_json(const boost::json::object& o) {
  core::OccurrenceRequest r;
  auto user = integer(o, "user_id");
  if (!user) return user.error();
  auto previous = integer(o, "previous_id");
  if (!previous) return previous.error();
  auto previous_index = integer(o, "previous_index");
  if (!previous_index) return previous_index.error();
  auto series = integer(o, "series_id");
  if (!series) return series.error();
  auto index = integer(o, "index");
  if (!index) return index.error();
  const auto* due = o.if_contains("due");
  if (!due || !due->is_string()) return core::field_error("due", "must be an RFC 3339 time");
  auto at = core::parse_rfc3339(due->as_string());
  if (!at) return core::field_error("due", "must be an RFC 3339 time");
  if (*index < 1 || *index > 1'000'000 || *previous_index < 0) {
    return core::field_error("index", "out of range");
  }
  r.user_id = *user;
  r.previous_id = *previous;
  r.previous_index = static_cast<int>(*previous_index);
  r.series_id = *series;
  r.index = static_cast<int>(*index);
  r.due = *at;
  return r;
}

std::string occurrence_key(const core::OccurrenceRequest& r) {
  return "series-" + std::to_string(r.series_id) + "-" + std::to_string(r.index);
}

}  // namespace tickler::wire
