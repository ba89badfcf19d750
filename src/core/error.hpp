#pragma once
// One error model for expected failures: an Error value carried in a Result. The HTTP status for
// each Errc is decided in one place only (src/http/error_response.cpp).
#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace tickler::core {

enum class Errc {
  invalid_json,            // a body that is not JSON or not an object
  invalid_parameter,       // a malformed or unknown query parameter
  validation_failed,       // a field that breaks a rule of the domain
  unauthorized,            // no, bad or expired credentials
  forbidden,               // authenticated or not, this is refused (code given in code_name)
  not_found,               // nothing there for this user
  method_not_allowed,      // path known, method not
  conflict,                // a unique thing exists already (code given in Error::code_name)
  version_mismatch,        // If-Match against a stale version
  payload_too_large,       // body over the limit
  unsupported_media_type,  // a body that says it is not JSON
  idempotency_key_reused,  // same key, other request
  too_many_requests,       // rate limited
  unavailable,             // a dependency does not answer
  internal,                // a bug
};

// A value in Error::details: text, or a number that stays a number on the wire.
using Detail = std::variant<std::string, std::int64_t>;
using Details = std::map<std::string, Detail>;

struct Error {
  Errc code = Errc::internal;
  std::string message;
  Details details;
  std::string code_name;  // overrides the default code string, e.g. "email_taken"
};

[[nodiscard]] Error make_error(Errc code, std::string message, Details details = {});
// A field that breaks a rule: details {field, problem}.
[[nodiscard]] Error field_error(std::string field, std::string problem);
[[nodiscard]] std::string_view default_code_name(Errc code);

}  // namespace tickler::core
