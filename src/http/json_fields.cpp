#include "http/json_fields.hpp"

#include <boost/json/parse.hpp>

namespace tickler::http {

core::Result<boost::json::object> parse_json_object(std::string_view body) {
  if (body.empty()) return core::make_error(core::Errc::invalid_json, "request body is empty");
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 32;
  auto v = boost::json::parse(body, ec, {}, opts);
  if (ec) {
    return core::make_error(core::Errc::invalid_json,
                            "request body is not valid JSON: " + ec.message());
  }
  if (!v.is_object()) {
    return core::make_error(core::Errc::invalid_json, "request body must be a JSON object");
  }
  return std::move(v.as_object());
}

core::Status JsonFields::only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, value] : obj_) {
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (!known) return core::field_error(std::string{key}, "unknown field");
  }
  return {};
}

bool JsonFields::is_null(std::string_view key) const {
  const auto* v = obj_.if_contains(key);
  return v && v->is_null();
}

core::Result<std::optional<std::string>> JsonFields::string(std::string_view key) const {
  const auto* v = obj_.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return core::field_error(std::string{key}, "must be a string");
  return std::optional<std::string>{std::string{v->as_string()}};
}

core::Result<std::string> JsonFields::required_string(std::string_view key) const {
  auto s = string(key);
  if (!s) return s.error();
  if (!*s) return core::field_error(std::string{key}, "is required");
  return std::move(**s);
}

core::Result<std::optional<std::vector<std::string>>> JsonFields::string_list(
    std::string_view key) const {
  using Out = std::optional<std::vector<std::string>>;
  const auto* v = obj_.if_contains(key);
  if (!v || v->is_null()) return Out{};
  if (!v->is_array()) return core::field_error(std::string{key}, "must be an array of strings");
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string())
      return core::field_error(std::string{key}, "must be an array of strings");
    out.emplace_back(item.as_string());
  }
  return Out{std::move(out)};
}

}  // namespace tickler::http
