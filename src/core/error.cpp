#include "core/error.hpp"

namespace tickler::core {

Error make_error(Errc code, std::string message, Details details) {
  return Error{code, std::move(message), std::move(details), {}};
}

Error field_error(std::string field, std::string problem) {
  std::string message = field + ": " + problem;
  return make_error(Errc::validation_failed, std::move(message),
                    {{"field", std::move(field)}, {"problem", std::move(problem)}});
}

std::string_view default_code_name(Errc code) {
  switch (code) {
    case Errc::invalid_json:
      return "invalid_json";
    case Errc::invalid_parameter:
      return "invalid_parameter";
    case Errc::validation_failed:
      return "validation_failed";
    case Errc::unauthorized:
      return "unauthorized";
    case Errc::not_found:
      return "not_found";
    case Errc::method_not_allowed:
      return "method_not_allowed";
    case Errc::conflict:
      return "conflict";
    case Errc::version_mismatch:
      return "version_mismatch";
    case Errc::payload_too_large:
      return "payload_too_large";
    case Errc::unsupported_media_type:
      return "unsupported_media_type";
    case Errc::idempotency_key_reused:
      return "idempotency_key_reused";
    case Errc::too_many_requests:
      return "too_many_requests";
    case Errc::forbidden:
      return "forbidden";
    case Errc::unavailable:
      return "unavailable";
    case Errc::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace tickler::core
