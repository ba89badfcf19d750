#include "services/api/api_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>

#include "base/log.hpp"
#include "wire/tool_registry.hpp"

namespace tickler::services::api {

std::string_view openapi_document() {
  return wire::openapi_document();
}

namespace {

// The OAuth settings, with the key that seals authorization requests derived from the JWT
// secret when none is given (every api replica shares that secret).
oauth::OAuthSettings oauth_settings(const ApiSettings& settings) {
  auto s = settings.oauth;
  if (s.signing_key.empty()) {
    s.signing_key = auth::hmac_sha256(settings.jwt.secret, "tickler oauth authorization requests");
  }
  return s;
}

}  // namespace

ApiService::ApiService(ApiSettings settings, store::Store& store, base::Offload& offload,
                       http::Metrics& metrics, std::function<void()> on_events)
    : store_(store),
      offload_(offload),
      limiter_(settings.login_limits),
      auth_(store, auth::JwtIssuer{settings.jwt}, limiter_, settings.auth, on_events),
      tokens_(store, TokenSettings{.cache_ttl = settings.auth.user_cache_ttl}),
      tasks_(store, std::move(on_events)),
      oauth_(oauth_settings(settings), store, std::move(settings.fetch_document)),
      oauth_routes_(oauth_, offload),
      delegation_jwt_({settings.jwt.secret, std::chrono::minutes{1}}),
      link_key_(auth::link_key(settings.jwt.secret)) {
  auth_.set_on_revoked([this](core::UserId user) { tokens_.forget_user(user); });
  metrics.add_source([&store](std::string& out) {
    const auto s = store.pool_stats();
    out += "# HELP tickler_db_pool_connections Store connections by state.\n";
    out += "# TYPE tickler_db_pool_connections gauge\n";
    out += "tickler_db_pool_connections{state=\"total\"} " + std::to_string(s.size) + "\n";
    out += "tickler_db_pool_connections{state=\"in_use\"} " + std::to_string(s.in_use) + "\n";
    out += "# HELP tickler_db_pool_waits_total Checkouts that waited for a free connection.\n";
    out += "# TYPE tickler_db_pool_waits_total counter\n";
    out += "tickler_db_pool_waits_total " + std::to_string(s.waits) + "\n";
    out += "# HELP tickler_db_commits_total Write transactions; each carries one or more writes.\n";
    out += "# TYPE tickler_db_commits_total counter\n";
    out += "tickler_db_commits_total " + std::to_string(s.commits) + "\n";
    out += "# HELP tickler_db_write_jobs_total Writes carried by those transactions.\n";
    out += "# TYPE tickler_db_write_jobs_total counter\n";
    out += "tickler_db_write_jobs_total " + std::to_string(s.write_jobs) + "\n";
    const auto wal = store.wal_stats();
    if (!wal) return;
    out += "# HELP tickler_db_wal_bytes Size of the store's write-ahead log file.\n";
    out += "# TYPE tickler_db_wal_bytes gauge\n";
    out += "tickler_db_wal_bytes " + std::to_string(wal->bytes) + "\n";
    out += "# HELP tickler_db_wal_resets_total Checkpoints that started the WAL over.\n";
    out += "# TYPE tickler_db_wal_resets_total counter\n";
    out += "tickler_db_wal_resets_total " + std::to_string(wal->resets) + "\n";
    out += "# HELP tickler_db_wal_reset_busy_total WAL resets put off: readers held the old WAL.\n";
    out += "# TYPE tickler_db_wal_reset_busy_total counter\n";
    out += "tickler_db_wal_reset_busy_total " + std::to_string(wal->busy) + "\n";
    out += "# HELP tickler_db_wal_reset_hold_seconds_max Longest time writes waited for a reset.\n";
    out += "# TYPE tickler_db_wal_reset_hold_seconds_max gauge\n";
    out += "tickler_db_wal_reset_hold_seconds_max " +
           std::to_string(static_cast<double>(wal->longest_hold_us) / 1e6) + "\n";
  });
}

void ApiService::register_routes(http::Router& router) {
  using http::Access;
  using http::beast_http::verb;
  auto add = [&](verb method, std::string pattern, Access access, auto member) {
    router.add(method, std::move(pattern), access, std::bind_front(member, this));
  };
  add(verb::post, "/api/auth/signup", Access::open, &ApiService::signup);
  add(verb::post, "/api/auth/login", Access::open, &ApiService::login);
  add(verb::get, "/api/me", Access::any, &ApiService::me);
  add(verb::delete_, "/api/me", Access::account, &ApiService::delete_me);
  add(verb::post, "/api/me/password", Access::account, &ApiService::change_password);
  add(verb::get, "/api/tokens", Access::account, &ApiService::list_tokens);
  add(verb::post, "/api/tokens", Access::account, &ApiService::create_token);
  add(verb::delete_, "/api/tokens/{id}", Access::account, &ApiService::delete_token);
  add(verb::get, "/api/tasks", Access::tasks_read, &ApiService::list_tasks);
  add(verb::post, "/api/tasks", Access::tasks_write, &ApiService::create_task);
  add(verb::get, "/api/tasks/{id}", Access::tasks_read, &ApiService::get_task);
  add(verb::patch, "/api/tasks/{id}", Access::tasks_write, &ApiService::update_task);
  add(verb::delete_, "/api/tasks/{id}", Access::tasks_write, &ApiService::delete_task);
  add(verb::post, "/api/tasks/{id}/complete", Access::tasks_write, &ApiService::complete_task);
  add(verb::post, "/api/tasks/{id}/reopen", Access::tasks_write, &ApiService::reopen_task);
  add(verb::post, "/api/tasks/{id}/snooze", Access::tasks_write, &ApiService::snooze_task);
  // A reminder's links: mailed (task), in a push message (push), in an ntfy message (ntfy).
  for (const char* path : {"/links/task/{token}", "/links/push/{token}", "/links/ntfy/{token}"}) {
    add(verb::get, path, Access::open, &ApiService::task_link_page);
    router.add(verb::post, path, Access::open, std::bind_front(&ApiService::act_on_task_link, this),
               http::Body::json_or_form);
  }
  add(verb::get, "/api/tags", Access::tasks_read, &ApiService::tags);
  add(verb::post, "/api/tasks/parse", Access::tasks_read, &ApiService::parse_quick);
  add(verb::get, "/api/openapi.json", Access::open, &ApiService::openapi);
  oauth_routes_.register_routes(router);
}

void ApiService::serve_mcp(mcp::TransportSettings settings, const http::Pipeline& pipeline,
                           http::Router& router) {
  mcp_ = std::make_unique<mcp::Transport>(std::move(settings), pipeline);
  mcp_->register_routes(router);
}

namespace {

core::Result<std::string> delegation(AuthService* auth, const auth::JwtIssuer* jwt,
                                     core::UserId user) {
  auto u = auth->user(user);
  if (!u) return u.error();
  return jwt->issue(u->id, core::now(), u->token_generation);
}

}  // namespace

net::awaitable<core::Result<std::string>> ApiService::delegation_token(core::UserId user) {
  return offload_.call(&delegation, &auth_, &delegation_jwt_, user);
}

void ApiService::start(net::io_context& ioc) {
  purge_timer_ = std::make_unique<net::steady_timer>(ioc);
  net::co_spawn(ioc, purge_loop(), net::detached);
}

void ApiService::stop() {
  if (purge_timer_) purge_timer_->cancel();
}

net::awaitable<void> ApiService::purge_loop() {
  for (;;) {
    const auto now = core::now();
    auto st = co_await offload_.call(&TaskService::purge_idempotency, &tasks_, now);
    if (!st) {
      base::log_json(spdlog::level::warn, "idempotency purge failed",
                     {{"error", st.error().message}});
    }
    auto purged = co_await offload_.call(&oauth::OAuthService::purge, &oauth_, now);
    if (!purged) {
      base::log_json(spdlog::level::warn, "OAuth purge failed",
                     {{"error", purged.error().message}});
    }
    purge_timer_->expires_after(std::chrono::hours{1});
    auto [ec] = co_await purge_timer_->async_wait(net::as_tuple(net::use_awaitable));
    if (ec) co_return;
  }
}

}  // namespace tickler::services::api
