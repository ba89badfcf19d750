#include "services/api/mcp_protocol.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "wire/tool_calls.hpp"

namespace tickler::services::api::mcp {
namespace {

namespace json = boost::json;
using http::beast_http::field;
using http::beast_http::verb;

constexpr std::string_view k_instructions =
    "Tickler is the user's task manager. The tools add, find, change, complete, reopen and delete "
    "the user's tasks (due dates, reminders, recurrence, tags, priorities), preview quick-add "
    "lines, and read a task's audit trail, the user's tags and fired reminders. Instants are RFC "
    "3339; recurrence is an RFC 5545 RRULE read in the task's time zone. Every change is "
    "recorded as made by this client.";
constexpr std::string_view k_task_uri = "tickler://tasks/";
constexpr std::string_view k_json_mime = "application/json";

json::object server_info() {
  return {{"name", "tickler"}, {"title", "Tickler"}, {"version", "1.0.0"}};
}

json::object capabilities() {
  return {{"tools", {{"listChanged", false}}},
          {"resources", {{"subscribe", false}, {"listChanged", false}}}};
}

json::object tool_json(const wire::ToolDefinition& t) {
  return {{"name", t.name},
          {"title", t.title},
          {"description", t.description},
          {"inputSchema", t.input_schema},
          {"outputSchema", t.output_schema},
          {"annotations", t.annotations}};
}

RpcError invalid_params(std::string message) {
  return {rpc::invalid_params, std::move(message), nullptr};
}

json::object call_result(const wire::ToolOutcome& outcome) {
  return {{"content", json::array{json::object{{"type", "text"}, {"text", outcome.text}}}},
          {"structuredContent", outcome.structured},
          {"isError", outcome.is_error}};
}

// The REST error of an answer: {"code", "message"} or empty.
std::pair<std::string, std::string> rest_error(std::string_view body) {
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  const auto* e = !ec && v.is_object() ? v.as_object().if_contains("error") : nullptr;
  if (!e || !e->is_object()) return {};
  const auto text = [&](std::string_view key) {
    const auto* x = e->as_object().if_contains(key);
    return x && x->is_string() ? std::string{x->as_string()} : std::string{};
  };
  return {text("code"), text("message")};
}

// The task id of a tickler://tasks/{id} URI, or 0.
std::int64_t task_of_uri(std::string_view uri) {
  if (!uri.starts_with(k_task_uri)) return 0;
  const auto digits = uri.substr(k_task_uri.size());
  if (digits.empty() || digits.size() > 18 || digits.front() == '0' ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  return std::stoll(std::string{digits});
}

}  // namespace

bool is_handshake_version(std::string_view v) {
  return std::find(std::begin(k_handshake_versions), std::end(k_handshake_versions), v) !=
         std::end(k_handshake_versions);
}

bool is_modern_version(std::string_view v) {
  return std::find(std::begin(k_modern_versions), std::end(k_modern_versions), v) !=
         std::end(k_modern_versions);
}

json::array supported_versions() {
  json::array out;
  for (auto v : k_handshake_versions) out.emplace_back(v);
  for (auto v : k_modern_versions) out.emplace_back(v);
  return out;
}

std::string actor_for(const http::Principal& principal, std::string_view client_name) {
  if (principal.actor.starts_with("mcp:")) return principal.actor;
  return "mcp:" + std::string{client_name};
}

json::object Protocol::initialize_result(std::string_view requested) const {
  const std::string_view version =
      is_handshake_version(requested) ? requested : std::end(k_handshake_versions)[-1];
  return {{"protocolVersion", version},
          {"capabilities", capabilities()},
          {"serverInfo", server_info()},
          {"instructions", k_instructions}};
}

json::object Protocol::discover_result() const {
  return {{"supportedVersions", supported_versions()},
          {"capabilities", capabilities()},
          {"instructions", k_instructions},
          {"_meta", {{"io.modelcontextprotocol/serverInfo", server_info()}}}};
}

json::object Protocol::tools_list() const {
  json::array tools;
  for (const auto& t : wire::tool_definitions()) tools.push_back(tool_json(t));
  return {{"tools", std::move(tools)}};
}

net::awaitable<Outcome> Protocol::handle(const RpcMessage& request, const Caller& caller,
                                         std::string_view version) const {
  const bool modern = is_modern_version(version);
  Outcome out = RpcError{rpc::method_not_found, "method not found: " + request.method, nullptr};
  const auto& m = request.method;
  if (m == "ping") {
    out = json::object{};
  } else if (m == "server/discover" && modern) {
    out = discover_result();
  } else if (m == "tools/list") {
    out = tools_list();
  } else if (m == "tools/call") {
    out = co_await call_tool(request.params, caller);
  } else if (m == "resources/list") {
    out = co_await list_resources(request.params, caller);
  } else if (m == "resources/templates/list") {
    out = json::object{{"resourceTemplates",
                        json::array{json::object{
                            {"uriTemplate", "tickler://tasks/{id}"},
                            {"name", "task"},
                            {"title", "A task"},
                            {"description", "One of the user's tasks, as get_task answers it."},
                            {"mimeType", k_json_mime}}}}};
  } else if (m == "resources/read") {
    out = co_await read_resource(request.params, caller);
  }
  // 2026-07-28 results say what they are; listings may be cached, by this user only.
  if (auto* result = std::get_if<json::object>(&out); result && modern) {
    (*result)["resultType"] = "complete";
    if (m == "server/discover" || m == "tools/list" || m == "resources/list" ||
        m == "resources/templates/list" || m == "resources/read") {
      (*result)["ttlMs"] = 0;
      (*result)["cacheScope"] = "private";
    }
  }
  co_return out;
}

net::awaitable<http::Response> Protocol::run(std::string_view method, std::string target,
                                             std::string body, std::string if_match,
                                             const Caller& caller) const {
  http::Request req{http::beast_http::string_to_verb(method), target, 11};
  if (!caller.authorization.empty()) req.set(field::authorization, caller.authorization);
  req.set("X-Request-Id", caller.request_id);
  if (!if_match.empty()) req.set(field::if_match, if_match);
  if (!body.empty()) {
    req.set(field::content_type, "application/json");
    req.body() = std::move(body);
  }
  req.prepare_payload();
  co_return co_await pipeline_.invoke(req, caller.principal);
}

net::awaitable<Outcome> Protocol::call_tool(const json::object& params,
                                            const Caller& caller) const {
  const auto* name = params.if_contains("name");
  if (!name || !name->is_string()) co_return invalid_params("tools/call needs a tool name");
  const auto* tool = wire::find_tool(name->as_string());
  if (!tool) co_return invalid_params("unknown tool: " + std::string{name->as_string()});
  json::object arguments;
  if (const auto* args = params.if_contains("arguments"); args && !args->is_null()) {
    if (!args->is_object()) co_return invalid_params("arguments must be an object");
    arguments = args->as_object();
  }
  auto request = wire::tool_request(*tool, arguments);
  if (!request) co_return call_result(wire::tool_error(request.error()));
  auto res = co_await run(request->method, std::move(request->target), std::move(request->body),
                          std::move(request->if_match), caller);
  co_return call_result(wire::tool_outcome(*tool, arguments, res.result_int(), res.body()));
}

net::awaitable<Outcome> Protocol::list_resources(const json::object& params,
                                                 const Caller& caller) const {
  // The user's pending tasks by due date, a page at a time.
  std::string target = "/api/tasks?status=pending&sort=due&limit=50";
  if (const auto* cursor = params.if_contains("cursor"); cursor && cursor->is_string()) {
    const auto tool_args = json::object{{"cursor", *cursor}};
    auto r = wire::tool_request(*wire::find_tool("list_tasks"), tool_args);
    if (!r) co_return invalid_params("bad cursor");
    target += "&" + r->target.substr(r->target.find('?') + 1);
  }
  auto res = co_await run("GET", std::move(target), {}, {}, caller);
  if (res.result_int() != 200) {
    const auto [code, message] = rest_error(res.body());
    co_return invalid_params(code.empty() ? "cannot list tasks" : code + ": " + message);
  }
  const auto page = json::parse(res.body()).as_object();
  json::array resources;
  for (const auto& item : page.at("items").as_array()) {
    const auto& task = item.as_object();
    resources.push_back(json::object{
        {"uri", std::string{k_task_uri} + std::to_string(task.at("id").to_number<std::int64_t>())},
        {"name", task.at("title")},
        {"mimeType", k_json_mime}});
  }
  json::object out{{"resources", std::move(resources)}};
  if (const auto& next = page.at("next_cursor"); next.is_string()) out["nextCursor"] = next;
  co_return out;
}

net::awaitable<Outcome> Protocol::read_resource(const json::object& params,
                                                const Caller& caller) const {
  const auto* uri = params.if_contains("uri");
  if (!uri || !uri->is_string()) co_return invalid_params("resources/read needs a uri");
  const auto id = task_of_uri(uri->as_string());
  if (id == 0) {
    co_return RpcError{rpc::resource_not_found, "no such resource", {{"uri", *uri}}};
  }
  auto res = co_await run("GET", "/api/tasks/" + std::to_string(id), {}, {}, caller);
  if (res.result_int() == 404) {
    co_return RpcError{rpc::resource_not_found, "no such task", {{"uri", *uri}}};
  }
  if (res.result_int() != 200) {
    const auto [code, message] = rest_error(res.body());
    co_return RpcError{rpc::internal_error,
                       code.empty() ? "cannot read the task" : code + ": " + message, nullptr};
  }
  co_return json::object{
      {"contents",
       json::array{json::object{{"uri", *uri}, {"mimeType", k_json_mime}, {"text", res.body()}}}}};
}

}  // namespace tickler::services::api::mcp
