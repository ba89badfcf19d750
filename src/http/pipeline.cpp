#include "http/pipeline.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <chrono>

#include "base/log.hpp"
#include "http/redact.hpp"
#include "http/response.hpp"

namespace tickler::http {
namespace {

using beast_http::field;
using beast_http::verb;

// Browser MCP clients (an allowed origin) send and read MCP's headers too.
constexpr std::string_view k_allowed_headers =
    "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Request-Id, "
    "MCP-Protocol-Version, Mcp-Session-Id, Mcp-Method, Mcp-Name";
constexpr std::string_view k_exposed_headers =
    "ETag, Location, X-Request-Id, Idempotent-Replayed, Retry-After, Mcp-Session-Id";

std::string allow_list(const std::vector<verb>& methods) {
  std::string out;
  for (auto m : methods) {
    if (!out.empty()) out += ", ";
    out += std::string{beast_http::to_string(m)};
  }
  return out;
}

// application/json, or a JSON-based media type such as application/cloudevents+json (Dapr).
bool is_json_content_type(std::string_view ct) {
  const auto semi = ct.find(';');
  std::string media{ct.substr(0, semi)};
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media == "application/json" ||
         (media.starts_with("application/") && media.ends_with("+json"));
}

bool is_form_content_type(std::string_view ct) {
  const auto semi = ct.find(';');
  std::string media{ct.substr(0, semi)};
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media == "application/x-www-form-urlencoded";
}

// 401 for an audience-bound token presented to another resource (RFC 6750 §3.1).
Response wrong_audience(const std::string& audience) {
  auto error =
      core::make_error(core::Errc::unauthorized, "this token was issued for " + audience + " only");
  error.code_name = "invalid_token";
  auto res = error_response(error);
  res.set(field::www_authenticate,
          "Bearer error=\"invalid_token\", error_description=\"the token is for another "
          "resource\"");
  return res;
}

// The web UI's paths: everything a browser may GET that is not the API.
bool is_fallback_request(verb method, std::string_view path) {
  return (method == verb::get || method == verb::head) && path != "/api" &&
         !path.starts_with("/api/");
}

core::Error not_found() {
  return core::make_error(core::Errc::not_found, "no such route");
}

// 403 for a credential without the scope a route asks for (RFC 6750 §3.1).
Response insufficient_scope(Access access) {
  const std::string_view name = access == Access::tasks_read    ? "tasks:read"
                                : access == Access::tasks_write ? "tasks:write"
                                                                : "account";
  auto error =
      core::make_error(core::Errc::forbidden,
                       access == Access::account
                           ? std::string{"this needs the web app's session; tokens cannot do it"}
                           : "this credential lacks the scope " + std::string{name},
                       {{"scope", std::string{name}}});
  error.code_name = "insufficient_scope";
  auto res = error_response(error);
  res.set(field::www_authenticate,
          "Bearer error=\"insufficient_scope\", scope=\"" + std::string{name} + "\"");
  return res;
}

}  // namespace

std::string trace_id_of(std::string_view traceparent) {
  const auto hex = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  };
  if (traceparent.size() < 55 || traceparent[2] != '-' || traceparent[35] != '-' ||
      traceparent[52] != '-' || (traceparent.size() > 55 && traceparent[55] != '-')) {
    return {};
  }
  const auto version = traceparent.substr(0, 2);
  const auto trace = traceparent.substr(3, 32);
  if (!hex(version) || version == "ff" || !hex(trace) || !hex(traceparent.substr(36, 16)) ||
      !hex(traceparent.substr(53, 2)) || trace == std::string(32, '0')) {
    return {};
  }
  return std::string{trace};
}

std::string request_id_for(std::string_view given) {
  const bool sane =
      !given.empty() && given.size() <= 128 && std::all_of(given.begin(), given.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
      });
  if (sane) return std::string{given};
  // A random per-thread prefix and a counter: unique without a getrandom() call per request.
  thread_local const std::string prefix = [] {
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    char hex[sizeof raw * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    return std::string{hex};
  }();
  thread_local std::uint64_t counter = 0;
  char n[17];
  std::snprintf(n, sizeof n, "%016llx", static_cast<unsigned long long>(++counter));
  return prefix + n;
}

net::awaitable<Response> Pipeline::dispatch(RequestContext& ctx, std::string& route_name,
                                            const Principal* given) const {
  auto& req = ctx.request;
  auto parsed = boost::urls::parse_origin_form(req.target());
  if (!parsed) {
    co_return error_response(
        core::make_error(core::Errc::invalid_parameter, "malformed request target"));
  }
  const std::string path = parsed->path();
  for (const auto& p : parsed->params()) ctx.query.emplace_back(p.key, p.value);

  if (req.method() == verb::options) {
    auto m = router_.match(verb::options, path);
    if (!m.path_known) co_return error_response(not_found());
    Response res = empty_response(beast_http::status::no_content);
    res.set(field::allow, allow_list(m.allowed));
    const auto origin = req[field::origin];
    if (!origin.empty() && settings_.cors_origins.contains(std::string{origin})) {
      res.set(field::access_control_allow_methods, allow_list(m.allowed) + ", OPTIONS");
      res.set(field::access_control_allow_headers, k_allowed_headers);
      res.set(field::access_control_max_age, "600");
    }
    co_return res;
  }

  auto match = router_.match(req.method(), path);
  if (!match.route) {
    if (!match.path_known && fallback_ && is_fallback_request(req.method(), path)) {
      route_name = "static";
      co_return co_await fallback_(ctx);
    }
    if (!match.path_known) co_return error_response(not_found());
    Response res = error_response(core::make_error(
        core::Errc::method_not_allowed,
        std::string{"method "} + std::string{req.method_string()} + " is not allowed here"));
    res.set(field::allow, allow_list(match.allowed));
    co_return res;
  }
  route_name = match.route->pattern;
  ctx.path_params = std::move(match.params);

  if (!req.body().empty()) {
    const auto ct = req[field::content_type];
    if (!ct.empty() && !is_json_content_type(ct) &&
        !(match.route->body == Body::json_or_form && is_form_content_type(ct))) {
      co_return error_response(core::make_error(
          core::Errc::unsupported_media_type,
          match.route->body == Body::json_or_form
              ? "request bodies must be application/json or application/x-www-form-urlencoded"
              : "request bodies must be application/json"));
    }
  }

  if (match.route->access != Access::open) {
    if (given) {
      ctx.principal = *given;
    } else {
      const auto header = req[field::authorization];
      constexpr std::string_view bearer = "Bearer ";
      if (header.size() <= bearer.size() || !header.starts_with(bearer)) {
        co_return challenged(
            req, path,
            error_response(core::make_error(
                core::Errc::unauthorized, "missing bearer token (Authorization: Bearer <token>)")));
      }
      const auto token = header.substr(bearer.size());
      auto principal = co_await authenticate_(token);
      if (!principal) co_return challenged(req, path, error_response(principal.error()));
      // An audience-bound token (OAuth, RFC 8707) is good for its resource only.
      if (!principal->audience.empty() && !within_audience(principal->audience, path)) {
        co_return challenged(req, path, wrong_audience(principal->audience));
      }
      ctx.principal = std::move(*principal);
      if (actor_override_) actor_override_(req, *ctx.principal);
    }
    ctx.user_id = ctx.principal->user;
    if (const auto needed = scopes_of(match.route->access); !ctx.principal->has(needed)) {
      auto res = insufficient_scope(match.route->access);
      co_return given ? std::move(res) : challenged(req, path, std::move(res));
    }
  }
  co_return co_await match.route->handler(ctx);
}

Response Pipeline::challenged(const Request& request, std::string_view path, Response res) const {
  if (challenge_) challenge_(request, path, res);
  return res;
}

bool within_audience(std::string_view audience, std::string_view path) {
  auto parsed = boost::urls::parse_uri(audience);
  if (!parsed) return false;
  std::string resource{parsed->path()};
  while (!resource.empty() && resource.back() == '/') resource.pop_back();
  if (resource.empty()) return true;  // the whole origin
  return path == resource || (path.starts_with(resource) && path[resource.size()] == '/');
}

net::awaitable<Response> Pipeline::handle(Request& request, const std::string& remote_address,
                                          StreamBody* stream) {
  return run(request, remote_address, std::nullopt, stream);
}

net::awaitable<Response> Pipeline::invoke(Request& request, const Principal& principal) const {
  return run(request, "in-process", principal, nullptr);
}

net::awaitable<Response> Pipeline::run(Request& request, std::string remote_address,
                                       std::optional<Principal> given, StreamBody* stream) const {
  const auto start = std::chrono::steady_clock::now();
  RequestContext ctx{request,        {},    {}, {}, {}, request_id_for(request["X-Request-Id"]),
                     remote_address, stream};
  std::string route_name = "unmatched";
  Response res;
  bool failed = false;
  std::string what;
  try {
    res = co_await dispatch(ctx, route_name, given ? &*given : nullptr);
  } catch (const std::exception& e) {
    failed = true;
    what = e.what();
  }
  if (failed || (stream && *stream && res.result() != beast_http::status::ok)) {
    if (stream) *stream = nullptr;  // a stream goes with a 200 only
  }
  if (failed) {
    base::log_json(spdlog::level::err, "handler failed",
                   {{"request_id", ctx.request_id}, {"route", route_name}, {"error", what}});
    res = error_response(core::make_error(core::Errc::internal, "internal error"));
  }
  finish(&request, res, ctx.request_id);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto status = res.result_int();
  metrics_.observe(route_name, request.method_string(), status, seconds);
  // Health probes (a sidecar probes every second) are logged at debug level when they pass.
  const bool probe = status < 300 && (route_name == "/healthz" || route_name == "/readyz");
  boost::json::object fields{{"request_id", ctx.request_id},
                             {"method", request.method_string()},
                             {"route", route_name},
                             {"target", redact_target(request.target())},
                             {"status", status},
                             {"duration_us", static_cast<std::int64_t>(seconds * 1e6)},
                             {"remote", ctx.remote_address},
                             {"user_id", ctx.user_id ? *ctx.user_id : 0}};
  if (auto trace = trace_id_of(request["traceparent"]); !trace.empty()) fields["trace_id"] = trace;
  base::log_json(probe ? spdlog::level::debug : spdlog::level::info, "request", std::move(fields));
  co_return res;
}

void Pipeline::finish(const Request* request, Response& res, std::string_view request_id) const {
  res.set("X-Request-Id", request_id);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  if (res.find(field::cache_control) == res.end()) res.set(field::cache_control, "no-store");
  if (request) {
    const auto origin = (*request)[field::origin];
    if (!origin.empty() && settings_.cors_origins.contains(std::string{origin})) {
      res.set(field::access_control_allow_origin, origin);
      res.set(field::access_control_expose_headers, k_exposed_headers);
      res.set(field::vary, "Origin");
    }
  }
}

}  // namespace tickler::http
