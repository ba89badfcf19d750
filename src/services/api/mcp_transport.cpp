#include "services/api/mcp_transport.hpp"

#include <sodium.h>

#include <boost/json/parse.hpp>

#include "http/response.hpp"

namespace tickler::services::api::mcp {
namespace {

namespace json = boost::json;
using http::beast_http::field;
using http::beast_http::status;
using http::beast_http::verb;

constexpr std::string_view k_version_header = "MCP-Protocol-Version";
constexpr std::string_view k_session_header = "Mcp-Session-Id";
constexpr std::string_view k_method_header = "Mcp-Method";
constexpr std::string_view k_name_header = "Mcp-Name";
constexpr std::string_view k_meta_version = "io.modelcontextprotocol/protocolVersion";
constexpr std::string_view k_meta_capabilities = "io.modelcontextprotocol/clientCapabilities";
constexpr std::string_view k_meta_client = "io.modelcontextprotocol/clientInfo";

http::Response rpc_response(unsigned code, const json::value& body) {
  return http::json_response(static_cast<status>(code), body);
}

// A transport-level refusal: a JSON-RPC error with the id of the request if known.
http::Response refusal(unsigned code, const RpcError& error, const json::value& id = nullptr) {
  return rpc_response(code, error_message(id, error));
}

RpcError unsupported_version(std::string_view requested) {
  return {rpc::unsupported_protocol_version, "unsupported protocol version",
          json::object{{"supported", supported_versions()}, {"requested", requested}}};
}

// Accept must admit JSON when given (clients send "application/json, text/event-stream").
bool accepts_json(std::string_view accept) {
  if (accept.empty()) return true;
  std::size_t start = 0;
  while (start <= accept.size()) {
    auto end = accept.find(',', start);
    if (end == std::string_view::npos) end = accept.size();
    auto media = accept.substr(start, end - start);
    media = media.substr(0, media.find(';'));
    while (!media.empty() && media.front() == ' ') media.remove_prefix(1);
    while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
    std::string lower{media};
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "application/json" || lower == "application/*" || lower == "*/*") return true;
    start = end + 1;
  }
  return false;
}

std::size_t header_count(const http::Request& req, std::string_view name) {
  const auto [first, last] = req.equal_range(name);
  return static_cast<std::size_t>(std::distance(first, last));
}

// params._meta's envelope member, or null.
const json::value* envelope(const json::object& params, std::string_view key) {
  const auto* meta = params.if_contains("_meta");
  return meta && meta->is_object() ? meta->as_object().if_contains(key) : nullptr;
}

std::string client_name_in(const json::value* info) {
  const auto* obj = info ? info->if_object() : nullptr;
  const auto* name = obj ? obj->if_contains("name") : nullptr;
  return client_name_of(name && name->is_string() ? std::string_view{name->as_string()} : "");
}

}  // namespace

std::optional<std::string> decode_header_value(std::string_view value) {
  constexpr std::string_view open = "=?base64?";
  constexpr std::string_view close = "?=";
  if (!value.starts_with(open) || !value.ends_with(close) ||
      value.size() < open.size() + close.size()) {
    return std::string{value};
  }
  const auto payload = value.substr(open.size(), value.size() - open.size() - close.size());
  std::string out(payload.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), payload.data(),
                        payload.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

void Transport::register_routes(http::Router& router) {
  router.add(verb::post, "/mcp", http::Access::tasks_read, std::bind_front(&Transport::post, this));
  router.add(verb::delete_, "/mcp", http::Access::tasks_read,
             std::bind_front(&Transport::remove, this));
}

Caller Transport::caller_of(const http::RequestContext& ctx, std::string_view client_name) const {
  Caller caller{*ctx.principal, std::string{ctx.request[field::authorization]}, ctx.request_id};
  caller.principal.actor = actor_for(caller.principal, client_name);
  return caller;
}

net::awaitable<http::Response> Transport::post(http::RequestContext& ctx) {
  const auto& req = ctx.request;
  if (const auto origin = req[field::origin];
      !origin.empty() && !settings_.allowed_origins.contains(std::string{origin})) {
    co_return refusal(403, {rpc::invalid_request, "origin not allowed", nullptr});
  }
  if (!accepts_json(req[field::accept])) {
    co_return refusal(406, {rpc::invalid_request, "Accept must admit application/json", nullptr});
  }
  boost::system::error_code ec;
  const auto body = json::parse(req.body(), ec);
  if (ec) co_return refusal(400, {rpc::parse_error, "parse error: " + ec.message(), nullptr});
  const auto version = req[k_version_header];
  if (!version.empty() && !is_modern_version(version) && !is_handshake_version(version)) {
    co_return refusal(400, unsupported_version(version));
  }
  // A request with the 2026 envelope and no session is told how its header disagrees.
  const auto* obj = body.if_object();
  const auto* params = obj ? obj->if_contains("params") : nullptr;
  const bool has_envelope =
      params && params->is_object() && envelope(params->as_object(), k_meta_version) != nullptr;
  if (is_modern_version(version) || (has_envelope && req[k_session_header].empty())) {
    co_return co_await modern(ctx, body, version);
  }
  co_return co_await handshake(ctx, body, version);
}

net::awaitable<http::Response> Transport::modern(http::RequestContext& ctx, const json::value& body,
                                                 std::string_view version_header) {
  const auto& req = ctx.request;
  if (!body.is_object()) {
    co_return refusal(400, {rpc::invalid_request,
                            "the body must be one JSON-RPC request or notification", nullptr});
  }
  const auto parsed = parse_message(body);
  if (!parsed.message) co_return refusal(400, parsed.error, parsed.id);
  const auto& m = *parsed.message;
  if (m.kind == RpcMessage::Kind::response) {
    co_return refusal(400, {rpc::invalid_request, "a client sends no responses here", nullptr});
  }
  // This revision has no client notifications that mean anything here: acknowledged, dropped.
  if (m.kind == RpcMessage::Kind::notification) {
    co_return http::empty_response(status::accepted);
  }
  for (auto name : {k_version_header, k_method_header, k_name_header}) {
    if (header_count(req, name) > 1) {
      co_return refusal(
          400, {rpc::header_mismatch, std::string{name} + " appears more than once", nullptr},
          m.id);
    }
  }
  const auto* env_version = envelope(m.params, k_meta_version);
  if (!env_version || !envelope(m.params, k_meta_capabilities)) {
    co_return refusal(400,
                      {rpc::invalid_params,
                       "params._meta must carry " + std::string{k_meta_version} + " and " +
                           std::string{k_meta_capabilities},
                       nullptr},
                      m.id);
  }
  if (!env_version->is_string() || env_version->as_string() != version_header) {
    co_return refusal(
        400,
        {rpc::header_mismatch, "MCP-Protocol-Version does not match the request's protocol version",
         nullptr},
        m.id);
  }
  if (req[k_method_header] != m.method) {
    co_return refusal(400, {rpc::header_mismatch, "Mcp-Method does not match the method", nullptr},
                      m.id);
  }
  const std::string_view name_key =
      m.method == "tools/call" ? "name" : (m.method == "resources/read" ? "uri" : "");
  if (!name_key.empty()) {
    const auto* named = m.params.if_contains(name_key);
    if (named && !named->is_null()) {
      const auto header = decode_header_value(req[k_name_header]);
      if (!named->is_string() || !header || *header != named->as_string()) {
        co_return refusal(
            400,
            {rpc::header_mismatch, "Mcp-Name does not match the request's " + std::string{name_key},
             nullptr},
            m.id);
      }
    }
  }
  const auto caller = caller_of(ctx, client_name_in(envelope(m.params, k_meta_client)));
  auto outcome = co_await protocol_.handle(m, caller, version_header);
  if (auto* error = std::get_if<RpcError>(&outcome)) {
    co_return refusal(http_status_of(error->code), *error, m.id);
  }
  co_return rpc_response(200, result_message(m.id, std::move(std::get<json::object>(outcome))));
}

http::Response Transport::initialize(http::RequestContext& ctx, const RpcMessage& request) {
  const auto* requested = request.params.if_contains("protocolVersion");
  if (!requested || !requested->is_string()) {
    return refusal(200, {rpc::invalid_params, "initialize needs a protocolVersion", nullptr},
                   request.id);
  }
  auto result = protocol_.initialize_result(requested->as_string());
  const Session session{ctx.principal->user, std::string{result.at("protocolVersion").as_string()},
                        client_name_in(request.params.if_contains("clientInfo")), core::now()};
  auto res = rpc_response(200, result_message(request.id, std::move(result)));
  res.set(k_session_header, sessions_.begin(session));
  return res;
}

net::awaitable<http::Response> Transport::handshake(http::RequestContext& ctx,
                                                    const json::value& body,
                                                    std::string_view version_header) {
  // One message, or a batch of them (2025-03-26).
  std::vector<json::value> items;
  const bool batch = body.is_array();
  if (batch) {
    const auto& arr = body.as_array();
    if (arr.empty() || arr.size() > settings_.max_batch) {
      co_return refusal(
          400,
          {rpc::invalid_request,
           "a batch holds 1 to " + std::to_string(settings_.max_batch) + " messages", nullptr});
    }
    items.assign(arr.begin(), arr.end());
  } else {
    items.push_back(body);
  }
  std::vector<ParsedMessage> messages;
  for (const auto& item : items) messages.push_back(parse_message(item));
  const auto is_initialize = [](const ParsedMessage& p) {
    return p.message && p.message->kind == RpcMessage::Kind::request &&
           p.message->method == "initialize";
  };
  if (!batch && is_initialize(messages.front()))
    co_return initialize(ctx, *messages.front().message);
  if (batch && std::any_of(messages.begin(), messages.end(), is_initialize)) {
    co_return refusal(400,
                      {rpc::invalid_request, "initialize must not be part of a batch", nullptr});
  }
  if (!batch && !messages.front().message) {
    co_return refusal(400, messages.front().error, messages.front().id);
  }
  const auto session_id = ctx.request[k_session_header];
  if (session_id.empty()) {
    co_return refusal(400, {rpc::invalid_request,
                            "missing Mcp-Session-Id: begin a session with initialize", nullptr});
  }
  auto session = sessions_.find(session_id, core::now());
  if (!session || session->user != ctx.principal->user) {
    co_return refusal(404,
                      {rpc::invalid_request, "no such session: initialize a new one", nullptr});
  }
  if (!version_header.empty() && version_header != session->protocol_version) {
    co_return refusal(
        400, {rpc::header_mismatch, "MCP-Protocol-Version is not the session's negotiated version",
              nullptr});
  }
  const auto caller = caller_of(ctx, session->client_name);
  json::array answers;
  for (const auto& p : messages) {
    if (!p.message) {
      answers.push_back(error_message(p.id, p.error));
      continue;
    }
    const auto& m = *p.message;
    if (m.kind != RpcMessage::Kind::request) continue;  // notifications, responses: nothing to say
    auto outcome = co_await protocol_.handle(m, caller, session->protocol_version);
    if (auto* error = std::get_if<RpcError>(&outcome)) {
      answers.push_back(error_message(m.id, *error));
    } else {
      answers.push_back(result_message(m.id, std::move(std::get<json::object>(outcome))));
    }
  }
  http::Response res = answers.empty() ? http::empty_response(status::accepted)
                       : batch         ? rpc_response(200, answers)
                                       : rpc_response(200, answers.front());
  res.set(k_session_header, session_id);
  co_return res;
}

net::awaitable<http::Response> Transport::remove(http::RequestContext& ctx) {
  const auto origin = ctx.request[field::origin];
  if (!origin.empty() && !settings_.allowed_origins.contains(std::string{origin})) {
    co_return refusal(403, {rpc::invalid_request, "origin not allowed", nullptr});
  }
  const auto id = ctx.request[k_session_header];
  if (id.empty()) co_return refusal(400, {rpc::invalid_request, "missing Mcp-Session-Id", nullptr});
  const auto now = core::now();
  auto session = sessions_.find(id, now);
  if (!session || session->user != ctx.principal->user) {
    co_return refusal(404, {rpc::invalid_request, "no such session", nullptr});
  }
  sessions_.end(id, now);
  co_return http::empty_response(status::no_content);
}

}  // namespace tickler::services::api::mcp
