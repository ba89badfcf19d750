// Operational routes: liveness, readiness, metrics and the OpenAPI document.
#include "http/response.hpp"
#include "services/api/api_service.hpp"

namespace tickler::services::api {

using http::beast_http::field;
using http::beast_http::status;

net::awaitable<http::Response> ApiService::healthz(Ctx&) {
  co_return http::json_response(status::ok, boost::json::object{{"status", "ok"}});
}

net::awaitable<http::Response> ApiService::readyz(Ctx&) {
  auto st = co_await offload_.call(&store::Store::ping, &store_);
  if (!st) {
    co_return http::error_response(core::make_error(
        core::Errc::unavailable, "the store does not answer: " + st.error().message));
  }
  co_return http::json_response(status::ok, boost::json::object{{"status", "ready"}});
}

net::awaitable<http::Response> ApiService::metrics(Ctx&) {
  http::Response res{status::ok, 11};
  res.set(field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.body() = metrics_.render();
  res.prepare_payload();
  co_return res;
}

net::awaitable<http::Response> ApiService::openapi(Ctx&) {
  http::Response res{status::ok, 11};
  res.set(field::content_type, "application/json");
  res.body() = std::string{openapi_document()};
  res.prepare_payload();
  co_return res;
}

}  // namespace tickler::services::api
