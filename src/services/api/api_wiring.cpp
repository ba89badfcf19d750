#include "services/api/api_wiring.hpp"

#include "bus/dapr/dapr_bus.hpp"
#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "wire/occurrence_json.hpp"
#include "wire/task_json.hpp"

namespace tickler::services::api {
namespace {

using http::beast_http::status;

core::Result<core::Task> occurrence_of(ApiService* api, const core::OccurrenceRequest& request) {
  return create_recurrer_occurrence(*api, request);
}

http::net::awaitable<http::Response> create_occurrence(ApiService* api, base::Offload* offload,
                                                       const std::string& app_token,
                                                       http::RequestContext& ctx) {
  if (!bus::dapr::from_sidecar(ctx.request, app_token)) {
    co_return bus::dapr::sidecar_unauthorized();
  }
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  auto request = wire::occurrence_from_json(*body);
  if (!request) co_return http::error_response(request.error());
  const core::OccurrenceRequest req = *request;
  auto task = co_await offload->call(&occurrence_of, api, req);
  if (!task) co_return http::error_response(task.error());
  co_return http::json_response(status::ok, wire::task_to_json(*task));
}

http::net::awaitable<http::Response> on_behalf(ApiService* api, const http::Handler& forward,
                                               http::RequestContext& ctx) {
  if (ctx.principal && !ctx.principal->audience.empty()) {
    auto token = co_await api->delegation_token(ctx.principal->user);
    if (!token) co_return http::error_response(token.error());
    ctx.request.set(http::beast_http::field::authorization, "Bearer " + *token);
  }
  co_return co_await forward(ctx);
}

}  // namespace

http::Handler on_behalf_of_caller(ApiService& api, http::Handler forward) {
  return std::bind_front(&on_behalf, &api, std::move(forward));
}

std::unique_ptr<ApiService> wire_api(const Ports& ports, ApiSettings settings) {
  auto mcp_settings = std::move(settings.mcp);
  if (mcp_settings.sessions.key.empty()) {
    mcp_settings.sessions.key = mcp::session_key(settings.jwt.secret);
  }
  auto api = std::make_unique<ApiService>(std::move(settings), ports.require_store("the api"),
                                          ports.offload, ports.metrics, ports.on_events);
  api->register_routes(ports.router);
  api->serve_mcp(std::move(mcp_settings), ports.pipeline, ports.router);
  ports.lifecycle.on_start([api = api.get(), &ioc = ports.ioc] { api->start(ioc); });
  ports.lifecycle.on_stop_accepting([api = api.get()] { api->stop(); });
  return api;
}

core::Result<core::Task> create_recurrer_occurrence(ApiService& api,
                                                    const core::OccurrenceRequest& request) {
  return api.tasks().create_occurrence(request, {"recurrer", ""});
}

void add_occurrence_route(const Ports& ports, ApiService& api, std::string app_token) {
  ports.router.add(http::beast_http::verb::post, "/internal/occurrences", http::Access::open,
                   std::bind_front(&create_occurrence, &api, &ports.offload, std::move(app_token)));
}

}  // namespace tickler::services::api
