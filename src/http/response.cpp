#include "http/response.hpp"

#include <boost/json/serialize.hpp>

namespace tickler::http {

beast_http::status status_of(core::Errc code) {
  using core::Errc;
  using S = beast_http::status;
  switch (code) {
    case Errc::invalid_json:
    case Errc::invalid_parameter:
      return S::bad_request;
    case Errc::validation_failed:
    case Errc::idempotency_key_reused:
      return S::unprocessable_entity;
    case Errc::unauthorized:
      return S::unauthorized;
    case Errc::not_found:
      return S::not_found;
    case Errc::method_not_allowed:
      return S::method_not_allowed;
    case Errc::conflict:
      return S::conflict;
    case Errc::version_mismatch:
      return S::precondition_failed;
    case Errc::payload_too_large:
      return S::payload_too_large;
    case Errc::unsupported_media_type:
      return S::unsupported_media_type;
    case Errc::too_many_requests:
      return S::too_many_requests;
    case Errc::forbidden:
      return S::forbidden;
    case Errc::unavailable:
      return S::service_unavailable;
    case Errc::internal:
      return S::internal_server_error;
  }
  return S::internal_server_error;
}

Response json_response(beast_http::status status, const boost::json::value& body) {
  Response res{status, 11};
  res.set(beast_http::field::content_type, "application/json");
  res.body() = boost::json::serialize(body);
  res.prepare_payload();
  return res;
}

Response error_response(const core::Error& error) {
  boost::json::object details;
  for (const auto& [k, v] : error.details) {
    std::visit([&details, &k](const auto& x) { details[k] = x; }, v);
  }
  const std::string_view code =
      error.code_name.empty() ? core::default_code_name(error.code) : error.code_name;
  boost::json::object body{
      {"error", boost::json::object{
                    {"code", code}, {"message", error.message}, {"details", std::move(details)}}}};
  return json_response(status_of(error.code), body);
}

Response empty_response(beast_http::status status) {
  Response res{status, 11};
  res.prepare_payload();
  return res;
}

}  // namespace tickler::http
