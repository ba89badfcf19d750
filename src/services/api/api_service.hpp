#pragma once
// The api role: REST handlers for auth, personal API tokens and tasks, the OpenAPI document, and
// the MCP server. Owns the auth, token and task logic; runs every blocking call through Offload.
// Register its routes, then start() (services/api/api_wiring.hpp does both).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "auth/jwt.hpp"
#include "auth/signed_link.hpp"
#include "base/offload.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "services/api/auth_service.hpp"
#include "services/api/login_limiter.hpp"
#include "services/api/mcp_transport.hpp"
#include "services/api/oauth_handlers.hpp"
#include "services/api/task_service.hpp"
#include "services/api/token_service.hpp"
#include "store/store.hpp"

namespace tickler::services::api {

namespace net = boost::asio;

struct ApiSettings {
  auth::JwtSettings jwt;
  LoginLimiterSettings login_limits;
  AuthSettings auth;  // its user_cache_ttl is also the API token cache's (one setting for both)
  // The OAuth authorization server; its signing key, when empty, derives from the JWT secret.
  oauth::OAuthSettings oauth;
  oauth::DocumentFetcher fetch_document;  // clients' metadata documents; empty: not supported
  // The MCP server at /mcp; an empty session key is derived from the JWT secret.
  mcp::TransportSettings mcp{};
};

class ApiService {
 public:
  // on_events: called after a commit that appended events (wakes the outbox relay).
  ApiService(ApiSettings settings, store::Store& store, base::Offload& offload,
             http::Metrics& metrics, std::function<void()> on_events);

  void register_routes(http::Router& router);
  // Serves MCP at /mcp: its tool calls run the routes through `pipeline` (Pipeline::invoke).
  void serve_mcp(mcp::TransportSettings settings, const http::Pipeline& pipeline,
                 http::Router& router);
  // Verifies bearer tokens for the pipeline: a session JWT (every scope, actor user:<id>) or a
  // personal API token, tkl_pat_… (its scopes, actor token:<name>).
  // token must stay valid until the returned awaitable completes.
  net::awaitable<core::Result<http::Principal>> authenticate(std::string_view token);
  // A one-minute session token of `user` (at the user's token generation) for a request the api
  // passes on to another role on behalf of a caller it has checked (api_wiring.hpp).
  net::awaitable<core::Result<std::string>> delegation_token(core::UserId user);
  // What a 401 or 403 on /mcp tells the client (http::Challenge).
  void challenge(const http::Request& request, std::string_view path,
                 http::Response& response) const {
    oauth_routes_.challenge(request, path, response);
  }
  // Starts the hourly purge of expired idempotency keys and OAuth codes and tokens.
  void start(net::io_context& ioc);
  void stop();
  TaskService& tasks() { return tasks_; }
  AuthService& auth() { return auth_; }
  TokenService& api_tokens() { return tokens_; }

 private:
  using Ctx = http::RequestContext;
  using Res = http::Response;
  net::awaitable<Res> signup(Ctx& ctx);
  net::awaitable<Res> login(Ctx& ctx);
  net::awaitable<Res> me(Ctx& ctx);
  net::awaitable<Res> delete_me(Ctx& ctx);
  net::awaitable<Res> change_password(Ctx& ctx);
  net::awaitable<Res> create_token(Ctx& ctx);
  net::awaitable<Res> list_tokens(Ctx& ctx);
  net::awaitable<Res> delete_token(Ctx& ctx);
  net::awaitable<Res> list_tasks(Ctx& ctx);
  net::awaitable<Res> create_task(Ctx& ctx);
  net::awaitable<Res> get_task(Ctx& ctx);
  net::awaitable<Res> update_task(Ctx& ctx);
  net::awaitable<Res> delete_task(Ctx& ctx);
  net::awaitable<Res> complete_task(Ctx& ctx);
  net::awaitable<Res> reopen_task(Ctx& ctx);
  net::awaitable<Res> snooze_task(Ctx& ctx);  // link_handlers.cpp
  net::awaitable<Res> task_link_page(Ctx& ctx);
  net::awaitable<Res> act_on_task_link(Ctx& ctx);
  // The claims of a valid, unexpired task link of /links/task/{token}.
  core::Result<auth::LinkClaims> task_link(const Ctx& ctx) const;
  net::awaitable<Res> tags(Ctx& ctx);
  net::awaitable<Res> parse_quick(Ctx& ctx);
  net::awaitable<Res> openapi(Ctx& ctx);
  net::awaitable<void> purge_loop();
  net::awaitable<core::Result<http::Principal>> authenticate_personal(std::string_view token);

  store::Store& store_;
  base::Offload& offload_;
  LoginLimiter limiter_;
  AuthService auth_;
  TokenService tokens_;
  TaskService tasks_;
  oauth::OAuthService oauth_;
  OAuthRoutes oauth_routes_;
  auth::JwtIssuer delegation_jwt_;
  std::string link_key_;  // mailed links' signing key, derived from the JWT secret
  std::unique_ptr<net::steady_timer> purge_timer_;
  std::unique_ptr<mcp::Transport> mcp_;
};

// The OpenAPI 3.1 document served at /api/openapi.json (embedded at build time).
[[nodiscard]] std::string_view openapi_document();

}  // namespace tickler::services::api
