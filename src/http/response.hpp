#pragma once
// Building responses: JSON bodies, and the one place where a core::Error becomes an HTTP status
// and the {"error": {code, message, details}} body.
#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "http/types.hpp"

namespace tickler::http {

[[nodiscard]] beast_http::status status_of(core::Errc code);
[[nodiscard]] Response json_response(beast_http::status status, const boost::json::value& body);
[[nodiscard]] Response error_response(const core::Error& error);
[[nodiscard]] Response empty_response(beast_http::status status);

}  // namespace tickler::http
