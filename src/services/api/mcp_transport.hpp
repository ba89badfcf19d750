#pragma once
// The MCP Streamable HTTP transport at /mcp: JSON-RPC over POST, answered with JSON (no SSE
// stream is offered: GET answers 405), for every protocol revision the official SDKs speak:
//  - 2026-07-28 (MCP-Protocol-Version names it): stateless, one request per POST, each carrying
//    its envelope (params._meta: protocol version, client capabilities and info) and the
//    Mcp-Method / Mcp-Name headers that must agree with the body; server/discover.
//  - 2024-11-05 … 2025-11-25: initialize begins a session (Mcp-Session-Id, mcp_session.hpp)
//    that later requests carry; DELETE ends it; notifications are acknowledged with 202;
//    batches of at most max_batch messages.
// Origin is checked on every request (DNS rebinding): a browser's Origin must be an allowed
// one. The route needs a credential with tasks:read; each tool's route checks its own scope.
#include <set>
#include <string>

#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "services/api/mcp_protocol.hpp"
#include "services/api/mcp_session.hpp"

namespace tickler::services::api::mcp {

struct TransportSettings {
  SessionSettings sessions;
  std::set<std::string> allowed_origins;  // exact origins (the CORS origins, the public one)
  std::size_t max_batch = 16;
};

class Transport {
 public:
  Transport(TransportSettings settings, const http::Pipeline& pipeline)
      : settings_(std::move(settings)), sessions_(settings_.sessions), protocol_(pipeline) {}

  // POST and DELETE /mcp (GET answers 405 with Allow).
  void register_routes(http::Router& router);

  net::awaitable<http::Response> post(http::RequestContext& ctx);
  net::awaitable<http::Response> remove(http::RequestContext& ctx);

 private:
  net::awaitable<http::Response> modern(http::RequestContext& ctx, const boost::json::value& body,
                                        std::string_view version_header);
  net::awaitable<http::Response> handshake(http::RequestContext& ctx,
                                           const boost::json::value& body,
                                           std::string_view version_header);
  http::Response initialize(http::RequestContext& ctx, const RpcMessage& request);
  [[nodiscard]] Caller caller_of(const http::RequestContext& ctx,
                                 std::string_view client_name) const;

  TransportSettings settings_;
  Sessions sessions_;
  Protocol protocol_;
};

// The value of an Mcp-Name / Mcp-Param-* header: as it is, or decoded from the
// "=?base64?…?=" form clients use for values that are not plain visible ASCII; nullopt for a
// malformed one.
[[nodiscard]] std::optional<std::string> decode_header_value(std::string_view value);

}  // namespace tickler::services::api::mcp
