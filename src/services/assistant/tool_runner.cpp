#include "services/assistant/tool_runner.hpp"

namespace tickler::services::assistant {

boost::asio::awaitable<wire::ToolOutcome> PipelineTools::call(
    std::string_view name, const boost::json::object& arguments) {
  const auto* tool = wire::find_tool(name);
  if (!tool) {
    co_return wire::tool_error(
        core::make_error(core::Errc::not_found, "unknown tool: " + std::string{name}));
  }
  auto request = wire::tool_request(*tool, arguments);
  if (!request) co_return wire::tool_error(request.error());
  http::Request req{http::beast_http::string_to_verb(request->method), request->target, 11};
  req.set("X-Request-Id", request_id_);
  if (!request->if_match.empty()) req.set(http::beast_http::field::if_match, request->if_match);
  if (!request->body.empty()) {
    req.set(http::beast_http::field::content_type, "application/json");
    req.body() = std::move(request->body);
  }
  req.prepare_payload();
  auto res = co_await pipeline_.invoke(req, principal_);
  co_return wire::tool_outcome(*tool, arguments, res.result_int(), res.body());
}

}  // namespace tickler::services::assistant
