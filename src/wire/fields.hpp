#pragma once
// Reading the members of an event payload: each answers the value, or a validation_failed error
// naming the member ("task_id: must be an integer"), so a consumer can say exactly what was wrong
// with an event it refuses. Members not asked for are ignored (a newer producer may add some).
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace tickler::wire::fields {

[[nodiscard]] core::Result<std::int64_t> integer(const boost::json::object& o,
                                                 std::string_view key);
[[nodiscard]] core::Result<std::string> text(const boost::json::object& o, std::string_view key);
// A string that is not empty (an id).
[[nodiscard]] core::Result<std::string> id_text(const boost::json::object& o, std::string_view key);
// A string in RFC 3339.
[[nodiscard]] core::Result<core::Instant> instant(const boost::json::object& o,
                                                  std::string_view key);
// An RFC 3339 string or null (present either way).
[[nodiscard]] core::Result<std::optional<core::Instant>> nullable_instant(
    const boost::json::object& o, std::string_view key);
// An object, moved out of o (a payload's nested document is taken, not copied).
[[nodiscard]] core::Result<boost::json::object> take_object(boost::json::object& o,
                                                            std::string_view key);

// The data of an event as a JSON object; invalid_json when it is not one.
[[nodiscard]] core::Result<boost::json::object> parse_object(std::string_view data);

}  // namespace tickler::wire::fields
