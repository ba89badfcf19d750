#pragma once
// JSON-RPC 2.0 as MCP uses it: reading one message (request, notification or response) from a
// decoded JSON value, and writing results and errors. Pure: no HTTP, no I/O.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace tickler::services::api::mcp {

// JSON-RPC and MCP error codes.
namespace rpc {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
inline constexpr int resource_not_found = -32002;
inline constexpr int header_mismatch = -32020;
inline constexpr int unsupported_protocol_version = -32022;
}  // namespace rpc

struct RpcError {
  int code = rpc::internal_error;
  std::string message;
  boost::json::value data = nullptr;  // null: no data member
};

struct RpcMessage {
  enum class Kind { request, notification, response };
  Kind kind = Kind::request;
  boost::json::value id = nullptr;  // a string or an integer for requests and responses
  std::string method;               // requests and notifications
  boost::json::object params;       // {} when absent
};

// One message of a JSON-RPC body. An error (invalid_request) for anything else; `id` is set to
// the message's id when it had a usable one, so the error can answer it.
struct ParsedMessage {
  std::optional<RpcMessage> message;
  RpcError error;
  boost::json::value id = nullptr;
};
[[nodiscard]] ParsedMessage parse_message(const boost::json::value& value);

[[nodiscard]] boost::json::object result_message(const boost::json::value& id,
                                                 boost::json::object result);
[[nodiscard]] boost::json::object error_message(const boost::json::value& id,
                                                const RpcError& error);

// The HTTP status a JSON-RPC error answers with where the protocol revision ties them
// (2026-07-28: 400 for malformed messages and parameters, 404 for an unknown method).
[[nodiscard]] unsigned http_status_of(int code);

}  // namespace tickler::services::api::mcp
