// GET /api/openapi.json. (/healthz, /readyz and /metrics are every process's: services/ops_routes.)
#include "http/response.hpp"
#include "services/api/api_service.hpp"

namespace tickler::services::api {

using http::beast_http::field;
using http::beast_http::status;

net::awaitable<http::Response> ApiService::openapi(Ctx&) {
  http::Response res{status::ok, 11};
  res.set(field::content_type, "application/json");
  res.body() = std::string{openapi_document()};
  res.prepare_payload();
  co_return res;
}

}  // namespace tickler::services::api
