#include "services/assistant/invocation_tools.hpp"

#include "bus/dapr/invocation.hpp"

namespace tickler::services::assistant {
namespace {

core::Result<bus::dapr::SidecarResponse> send(bus::dapr::DaprClient* dapr,
                                              const std::string& method, const std::string& target,
                                              const std::string& body,
                                              const bus::dapr::Headers& headers) {
  return dapr->request(method, target, body, body.empty() ? "" : "application/json", headers);
}

}  // namespace

boost::asio::awaitable<wire::ToolOutcome> InvocationTools::call(
    std::string_view name, const boost::json::object& arguments) {
  const auto* tool = wire::find_tool(name);
  if (!tool) {
    co_return wire::tool_error(
        core::make_error(core::Errc::not_found, "unknown tool: " + std::string{name}));
  }
  auto request = wire::tool_request(*tool, arguments);
  if (!request) co_return wire::tool_error(request.error());
  bus::dapr::Headers headers{{"Authorization", authorization_},
                             {std::string{k_actor_header}, actor_},
                             {std::string{k_actor_proof_header}, actor_proof_},
                             {"X-Request-Id", request_id_}};
  if (!request->if_match.empty()) headers.emplace_back("If-Match", request->if_match);
  const std::string target = bus::dapr::invocation_target(api_app_id_, request->target);
  auto res = co_await offload_.call(&send, &dapr_, request->method, target, request->body, headers);
  if (!res) {
    co_return wire::tool_error(core::make_error(
        core::Errc::unavailable, api_app_id_ + " is not reachable: " + res.error().message));
  }
  co_return wire::tool_outcome(*tool, arguments, res->status, res->body);
}

ToolsFactory tools_by_invocation(bus::dapr::DaprClient& dapr, base::Offload& offload,
                                 std::string api_app_id, ActorSigner sign) {
  return [&dapr, &offload, app = std::move(api_app_id), sign = std::move(sign)](
             const http::RequestContext& ctx, http::Principal principal) {
    std::string authorization{ctx.request[http::beast_http::field::authorization]};
    auto proof = sign(principal.actor, authorization);
    return std::make_unique<InvocationTools>(dapr, offload, app, std::move(authorization),
                                             std::move(principal.actor), std::move(proof),
                                             ctx.request_id);
  };
}

}  // namespace tickler::services::assistant
