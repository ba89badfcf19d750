#include "bus/dapr/invocation.hpp"

#include "http/response.hpp"

namespace tickler::bus::dapr {
namespace {

using http::beast_http::field;
using http::beast_http::status;

core::Result<SidecarResponse> request(DaprClient* client, const std::string& method,
                                      const std::string& target, const std::string& body,
                                      const std::string& content_type, const Headers& headers) {
  return client->request(method, target, body, content_type, headers);
}

http::net::awaitable<http::Response> forward(DaprClient* client, base::Offload* offload,
                                             const std::string& app_id, http::RequestContext& ctx) {
  const std::string method{ctx.request.method_string()};
  const std::string target = invocation_target(app_id, ctx.request.target());
  Headers headers;
  for (std::string_view name :
       {"Authorization", "If-Match", "If-None-Match", "Idempotency-Key", "Accept", "Origin",
        "MCP-Protocol-Version", "Mcp-Session-Id", "Mcp-Method", "Mcp-Name"}) {
    if (auto v = ctx.request[name]; !v.empty()) headers.emplace_back(name, std::string{v});
  }
  headers.emplace_back("X-Request-Id", ctx.request_id);
  const std::string body = ctx.request.body();
  const std::string content_type{ctx.request[field::content_type]};
  auto r = co_await offload->call(&request, client, method, target, body, content_type, headers);
  if (!r) {
    co_return http::error_response(core::make_error(
        core::Errc::unavailable, app_id + " is not reachable: " + r.error().message));
  }
  http::Response res{static_cast<status>(r->status), 11};
  if (!r->content_type.empty()) res.set(field::content_type, r->content_type);
  for (const auto& [name, value] : r->headers) res.set(name, value);
  res.body() = std::move(r->body);
  res.prepare_payload();
  co_return res;
}

}  // namespace

std::string invocation_target(std::string_view app_id, std::string_view path) {
  return "/v1.0/invoke/" + encode_component(app_id) + "/method" + std::string{path};
}

http::Handler forward_to(DaprClient& client, base::Offload& offload, std::string app_id) {
  return std::bind_front(&forward, &client, &offload, std::move(app_id));
}

}  // namespace tickler::bus::dapr
