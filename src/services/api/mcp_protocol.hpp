#pragma once
// The MCP methods Tickler serves, whatever the transport era: server/discover and initialize's
// result, ping, tools/list and tools/call (the tools of wire/tool_registry), and the task
// resources (tickler://tasks/{id}). A tool call or a resource read runs its REST route
// in-process through Pipeline::invoke as the caller's principal, so scopes, validation,
// isolation, events and audit are the route's own.
#include <boost/json/object.hpp>
#include <string>
#include <variant>

#include "http/pipeline.hpp"
#include "services/api/mcp_jsonrpc.hpp"

namespace tickler::services::api::mcp {

namespace net = boost::asio;

// Protocol revisions, oldest first.
inline constexpr std::string_view k_handshake_versions[] = {"2024-11-05", "2025-03-26",
                                                            "2025-06-18", "2025-11-25"};
inline constexpr std::string_view k_modern_versions[] = {"2026-07-28"};
[[nodiscard]] bool is_handshake_version(std::string_view v);
[[nodiscard]] bool is_modern_version(std::string_view v);
// Every revision served, oldest first (the `supported` list of a -32022 error, and discover's).
[[nodiscard]] boost::json::array supported_versions();

// Who calls: the principal routes run as (its actor names the MCP client), and the request's
// Authorization and id, passed on to routes another process serves (the distributed api
// forwards history and notifications to the auditor and the notifier).
struct Caller {
  http::Principal principal;
  std::string authorization;
  std::string request_id;
};

// A result, or the JSON-RPC error answering the request instead.
using Outcome = std::variant<boost::json::object, RpcError>;

class Protocol {
 public:
  explicit Protocol(const http::Pipeline& pipeline) : pipeline_(pipeline) {}

  // Answers one request (not initialize, which begins a session: the transport's) at a
  // negotiated protocol revision.
  net::awaitable<Outcome> handle(const RpcMessage& request, const Caller& caller,
                                 std::string_view version) const;
  // initialize's result for a client that asked for `requested`: that revision when served,
  // else the newest handshake one.
  [[nodiscard]] boost::json::object initialize_result(std::string_view requested) const;

 private:
  [[nodiscard]] boost::json::object discover_result() const;
  [[nodiscard]] boost::json::object tools_list() const;
  net::awaitable<Outcome> call_tool(const boost::json::object& params, const Caller& caller) const;
  net::awaitable<http::Response> run(std::string_view method, std::string target, std::string body,
                                     std::string if_match, const Caller& caller) const;
  net::awaitable<Outcome> list_resources(const boost::json::object& params,
                                         const Caller& caller) const;
  net::awaitable<Outcome> read_resource(const boost::json::object& params,
                                        const Caller& caller) const;

  const http::Pipeline& pipeline_;
};

// The actor a call through MCP is recorded as: an OAuth client's (already mcp:<name>) as it
// is, else mcp:<client name>.
[[nodiscard]] std::string actor_for(const http::Principal& principal, std::string_view client_name);

}  // namespace tickler::services::api::mcp
