#include "wire/fields.hpp"

#include <boost/json.hpp>

namespace tickler::wire::fields {
namespace {

const boost::json::value* member(const boost::json::object& o, std::string_view key) {
  return o.if_contains(key);
}

core::Error missing_or(const boost::json::value* v, std::string_view key, std::string problem) {
  return core::field_error(std::string{key}, v ? std::move(problem) : "is required");
}

}  // namespace

core::Result<std::int64_t> integer(const boost::json::object& o, std::string_view key) {
  const auto* v = member(o, key);
  if (!v || !v->is_int64()) return missing_or(v, key, "must be an integer");
  return v->as_int64();
}

core::Result<std::string> text(const boost::json::object& o, std::string_view key) {
  const auto* v = member(o, key);
  if (!v || !v->is_string()) return missing_or(v, key, "must be a string");
  return std::string{v->as_string()};
}

core::Result<std::string> id_text(const boost::json::object& o, std::string_view key) {
  auto s = text(o, key);
  if (s && s->empty()) return core::field_error(std::string{key}, "must not be empty");
  return s;
}

core::Result<core::Instant> instant(const boost::json::object& o, std::string_view key) {
  const auto* v = member(o, key);
  if (!v || !v->is_string()) return missing_or(v, key, "must be an RFC 3339 date-time");
  auto t = core::parse_rfc3339(v->as_string());
  if (!t) return core::field_error(std::string{key}, "must be an RFC 3339 date-time");
  return *t;
}

core::Result<std::optional<core::Instant>> nullable_instant(const boost::json::object& o,
                                                            std::string_view key) {
  const auto* v = member(o, key);
  if (v && v->is_null()) return std::optional<core::Instant>{};
  auto t = instant(o, key);
  if (!t) {
    if (!v) return t.error();
    return core::field_error(std::string{key}, "must be an RFC 3339 date-time or null");
  }
  return std::optional<core::Instant>{*t};
}

core::Result<boost::json::object> take_object(boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_object()) return missing_or(v, key, "must be an object");
  return std::move(v->as_object());
}

core::Result<boost::json::object> parse_object(std::string_view data) {
  boost::system::error_code ec;
  auto v = boost::json::parse(data, ec);
  if (ec || !v.is_object()) {
    return core::make_error(core::Errc::invalid_json, "the event data is not a JSON object");
  }
  return std::move(v.as_object());
}

}  // namespace tickler::wire::fields
