#include "services/api/mcp_jsonrpc.hpp"

namespace tickler::services::api::mcp {
namespace {

namespace json = boost::json;

constexpr std::size_t k_max_method = 128;

bool usable_id(const json::value& id) {
  return id.is_string() || id.is_int64() || id.is_uint64();
}

ParsedMessage invalid(std::string message, json::value id = nullptr) {
  return {std::nullopt, {rpc::invalid_request, std::move(message), nullptr}, std::move(id)};
}

}  // namespace

ParsedMessage parse_message(const json::value& value) {
  const auto* obj = value.if_object();
  if (!obj) return invalid("a JSON-RPC message must be an object");
  const auto* version = obj->if_contains("jsonrpc");
  const auto* id = obj->if_contains("id");
  json::value usable = id && usable_id(*id) ? *id : json::value{};
  if (!version || *version != "2.0") return invalid("jsonrpc must be \"2.0\"", usable);
  RpcMessage m;
  const auto* method = obj->if_contains("method");
  if (!method) {
    // A response (MCP servers here send no requests, so a client's answer is read and dropped).
    if (!id || !(obj->contains("result") || obj->contains("error"))) {
      return invalid("a message needs a method, or an id with a result or an error", usable);
    }
    m.kind = RpcMessage::Kind::response;
    m.id = *id;
    return {std::move(m), {}, nullptr};
  }
  if (!method->is_string() || method->as_string().empty() ||
      method->as_string().size() > k_max_method) {
    return invalid("method must be a non-empty string", usable);
  }
  m.method = method->as_string();
  if (const auto* params = obj->if_contains("params")) {
    if (!params->is_object()) return invalid("params must be an object", usable);
    m.params = params->as_object();
  }
  if (!id) {
    m.kind = RpcMessage::Kind::notification;
    return {std::move(m), {}, nullptr};
  }
  if (!usable_id(*id)) return invalid("id must be a string or an integer");
  m.kind = RpcMessage::Kind::request;
  m.id = *id;
  return {std::move(m), {}, nullptr};
}

json::object result_message(const json::value& id, json::object result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json::object error_message(const json::value& id, const RpcError& error) {
  json::object e{{"code", error.code}, {"message", error.message}};
  if (!error.data.is_null()) e["data"] = error.data;
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}};
}

unsigned http_status_of(int code) {
  switch (code) {
    case rpc::parse_error:
    case rpc::invalid_request:
    case rpc::invalid_params:
    case rpc::header_mismatch:
    case rpc::unsupported_protocol_version:
      return 400;
    case rpc::method_not_found:
      return 404;
    default:
      return 200;
  }
}

}  // namespace tickler::services::api::mcp
