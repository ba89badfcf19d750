#pragma once
// Reading a JSON request body into typed fields with precise errors: invalid_json for a body that
// is not a JSON object, validation_failed naming the field for a wrong type or unknown field.
#include <boost/json/object.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tickler::http {

[[nodiscard]] core::Result<boost::json::object> parse_json_object(std::string_view body);

class JsonFields {
 public:
  explicit JsonFields(const boost::json::object& obj) : obj_(obj) {}

  // validation_failed for any key not in allowed.
  [[nodiscard]] core::Status only(std::initializer_list<std::string_view> allowed) const;
  [[nodiscard]] bool has(std::string_view key) const { return obj_.contains(key); }
  [[nodiscard]] bool is_null(std::string_view key) const;

  // Absent → nullopt; present with another type → error. null counts as absent for strings.
  [[nodiscard]] core::Result<std::optional<std::string>> string(std::string_view key) const;
  [[nodiscard]] core::Result<std::string> required_string(std::string_view key) const;
  [[nodiscard]] core::Result<std::optional<std::vector<std::string>>> string_list(
      std::string_view key) const;

 private:
  const boost::json::object& obj_;
};

}  // namespace tickler::http
