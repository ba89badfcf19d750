#include "app/role_process.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "app/api_token_check.hpp"
#include "app/assistant_actor.hpp"
#include "app/bootstrap.hpp"
#include "app/chat_forwarding.hpp"
#include "app/web_root.hpp"
#include "base/log.hpp"
#include "bus/dapr/invocation.hpp"
#include "bus/dapr/jobs_scheduler.hpp"
#include "services/api/api_wiring.hpp"
#include "services/api/digest_route.hpp"
#include "services/assistant/distributed_wiring.hpp"
#include "services/auditor/auditor_wiring.hpp"
#include "services/notifier/digest_client.hpp"
#include "services/ops_routes.hpp"
#include "services/realtime/realtime_wiring.hpp"
#include "services/recurrer/occurrence_client.hpp"
#include "services/recurrer/recurrer_wiring.hpp"
#include "store/postgres/pg_store.hpp"

namespace tickler::app {
namespace {

using http::beast_http::verb;

constexpr std::array<std::string_view, 7> k_roles{"api",      "notifier", "recurrer", "auditor",
                                                  "realtime", "frontend", "assistant"};

bool has_store(std::string_view role) {
  return role == "api" || role == "notifier" || role == "auditor";
}

// The role's outbox where it publishes, its processed events where it consumes.
services::EventRetentionSettings retention_of(const RoleConfig& c) {
  const auto tables = store_roles(c.role);
  const auto owns = [&](std::string_view t) {
    return std::find(tables.begin(), tables.end(), t) != tables.end();
  };
  return event_retention_settings(c.retention, owns("outbox"), owns("consumer"), true);
}

bus::dapr::DaprSettings dapr_settings(const RoleConfig& c) {
  bus::dapr::DaprSettings s;
  s.http_port = c.dapr_http_port;
  s.api_token = c.dapr_api_token;
  return s;
}

// A secret from the environment when given, else from the Dapr secret store,
// waiting up to a minute for the sidecar to come up.
std::string secret_or(bus::dapr::DaprClient& dapr, const RoleConfig& c, const std::string& given,
                      const std::string& key) {
  if (!given.empty()) return given;
  core::Error last;
  for (int attempt = 0; attempt < 120; ++attempt) {
    auto value = dapr.secret(c.secret_store, key);
    if (value) return *value;
    last = value.error();
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
  }
  throw std::runtime_error("secret " + key + " from " + c.secret_store + ": " + last.message);
}

std::unique_ptr<store::Store> open_role_store(const RoleConfig& c, bus::dapr::DaprClient& dapr) {
  if (!has_store(c.role)) return nullptr;
  const std::string url = secret_or(dapr, c, c.database_url, c.role + "-database-url");
  auto store = store::postgres::PostgresStore::open({url, c.db_pool, store_roles(c.role)});
  if (!store) throw std::runtime_error("cannot open the database: " + store.error().message);
  auto applied = (*store)->migrate();
  if (!applied) throw std::runtime_error("migrations failed: " + applied.error().message);
  base::log_json(spdlog::level::info, "store ready", {{"migrations_applied", *applied}});
  return std::move(*store);
}

std::string jwt_secret_of(const RoleConfig& c, bus::dapr::DaprClient& dapr) {
  if (c.role == "recurrer" || c.role == "frontend") {
    return std::string(32, '-');  // verifies no tokens
  }
  auto secret = secret_or(dapr, c, c.jwt_secret, "jwt-secret");
  if (secret.size() < 32) throw std::runtime_error("the JWT secret needs at least 32 characters");
  return secret;
}

ProcessSettings process_settings(const RoleConfig& c) {
  ProcessSettings s;
  s.threads = c.db_threads;
  s.pipeline.cors_origins = {c.cors_origins.begin(), c.cors_origins.end()};
  s.server.host = c.host;
  s.server.port = c.port ? c.port : default_port(c.role);
  // A bulk delivery from the sidecar holds up to 100 events; daprd's own limit is 4 MiB.
  s.server.body_limits_by_prefix = {{"/events/", 4 * 1024 * 1024}};
  s.server.max_connections = max_connections(c.network);
  return s;
}

bus::dapr::DaprBusSettings bus_settings(const RoleConfig& c) {
  return {.pubsub = c.pubsub,
          .subscribe_pubsub = c.role == "realtime" ? c.fanout_pubsub : std::string{},
          .app_token = c.app_api_token,
          .bulk_await_ms = c.bulk_await_ms};
}

}  // namespace

bool is_role(std::string_view role) {
  return std::find(k_roles.begin(), k_roles.end(), role) != k_roles.end();
}

std::uint16_t default_port(std::string_view role) {
  for (std::size_t i = 0; i < k_roles.size(); ++i) {
    if (k_roles[i] == role) return static_cast<std::uint16_t>(8080 + i);
  }
  return 8080;
}

std::vector<std::string> store_roles(std::string_view role) {
  // The api records the ids of used task links (mailed, push, ntfy) as processed events.
  if (role == "api") return {"api", "outbox", "consumer"};
  if (role == "notifier") return {"notifier", "outbox", "consumer"};
  if (role == "auditor") return {"auditor", "consumer"};
  return {};
}

RoleProcess::RoleProcess(const RoleConfig& config, boost::asio::io_context& ioc)
    : config_(config),
      retention_settings_(retention_of(config)),
      dapr_(dapr_settings(config)),
      store_(open_role_store(config, dapr_)),
      jwt_secret_(jwt_secret_of(config, dapr_)),
      jwt_({jwt_secret_, std::chrono::seconds{config.token_ttl_seconds}}),
      process_(process_settings(config), ioc),
      bus_(bus_settings(config), dapr_, process_.offload()) {
  const std::string& role = config_.role;
  if (role == "api" || role == "notifier") {
    relay_.emplace(outbox::RelaySettings{.lanes = config_.relay_lanes}, *store_, bus_);
    process_.run_relay(*relay_);
  }
  const auto ports = process_.ports(store_.get(), bus_);
  // Every role but the api asks the api about tokens it cannot check itself (api_token_check.hpp);
  // the assistant, which the ingress reaches directly, about sessions too (revoked ones).
  process_.set_authenticator(token_check_by_api(
      [this](std::string_view token) { return jwt_.verify(token, core::now()); }, dapr_,
      process_.offload(), config_.api_app_id, {.ask_about_sessions = role == "assistant"}));
  if (role == "api") wire_api(ports);
  if (role == "auditor") auditor_ = services::auditor::wire_auditor(ports);
  if (role == "recurrer") {
    recurrer_ = services::recurrer::wire_recurrer(
        ports, services::recurrer::occurrences_by_invocation(dapr_, config_.api_app_id));
  }
  if (role == "notifier") wire_notifier(ports);
  if (role == "frontend") wire_frontend(ports);
  if (role == "frontend" || (role == "api" && !config_.web_root.empty())) {
    const auto& web = process_.serve_web(
        config_.web_root.empty() ? default_web_root() : std::filesystem::path{config_.web_root});
    base::log_json(spdlog::level::info, "web UI",
                   {{"root", web.root().string()}, {"built", web.available()}});
  }
  if (role == "realtime") wire_realtime(ports);
  if (role == "assistant") wire_assistant(ports);
  if (retention_settings_.outbox || retention_settings_.processed_events) {
    retention_ = services::wire_event_retention(ports, retention_settings_);
  }
  bus_.register_routes(process_.router());
  process_.metrics().add_source([this](std::string& out) { bus_.write_metrics(out); });
  // The api is ready when its store answers (as in tickler serve); the others when their store
  // and their sidecar do.
  if (role == "api") {
    services::add_ops_routes(ports, [&store = *store_] { return services::store_answers(store); });
  } else {
    services::add_ops_routes(ports, std::bind_front(&RoleProcess::ready, this));
  }
}

RoleProcess::~RoleProcess() {
  process_.stop_background();
}

boost::json::object RoleProcess::listening() const {
  return {{"role", config_.role}, {"host", config_.host}, {"port", process_.port()}};
}

void RoleProcess::wire_api(const services::Ports& ports) {
  services::api::ApiSettings settings;
  settings.jwt = {jwt_secret_, std::chrono::seconds{config_.token_ttl_seconds}};
  settings.auth = auth_settings(config_.accounts);
  settings.mcp.allowed_origins = {config_.cors_origins.begin(), config_.cors_origins.end()};
  add_oauth_settings(settings, config_.network);
  api_ = services::api::wire_api(ports, std::move(settings));
  process_.set_authenticator(std::bind_front(&services::api::ApiService::authenticate, &*api_));
  process_.set_challenge(std::bind_front(&services::api::ApiService::challenge, &*api_));
  services::api::add_occurrence_route(ports, *api_, config_.app_api_token);
  services::api::add_digest_route(ports, config_.app_api_token);
  // One origin for the browser: the routes of the auditor and the notifier are forwarded to
  // them through service invocation, the WebSocket to a realtime replica. The api checks the
  // token first (it alone knows revoked tokens and deleted users); they check the signature too.
  auto& router = ports.router;
  const auto to = [&](const std::string& app) {
    return services::api::on_behalf_of_caller(*api_,
                                              bus::dapr::forward_to(dapr_, ports.offload, app));
  };
  router.add(verb::get, "/api/tasks/{id}/history", http::Access::tasks_read,
             to(config_.auditor_app_id));
  router.add(verb::get, "/api/tasks/{id}/deliveries", http::Access::tasks_read,
             to(config_.notifier_app_id));
  router.add(verb::get, "/api/me/channels", http::Access::account, to(config_.notifier_app_id));
  for (auto method : {verb::get, verb::post}) {
    router.add(method, "/api/me/channels/webhooks", http::Access::account,
               to(config_.notifier_app_id));
  }
  for (auto method : {verb::get, verb::patch, verb::delete_}) {
    router.add(method, "/api/me/channels/webhooks/{id}", http::Access::account,
               to(config_.notifier_app_id));
  }
  router.add(verb::get, "/api/me/notification-settings", http::Access::account,
             to(config_.notifier_app_id));
  router.add(verb::put, "/api/me/notification-settings", http::Access::account,
             to(config_.notifier_app_id));
  router.add(verb::post, "/api/me/channels/test", http::Access::account,
             to(config_.notifier_app_id));
  for (auto method : {verb::get, verb::put, verb::delete_}) {
    router.add(method, "/api/tasks/{id}/notification-override",
               method == verb::get ? http::Access::tasks_read : http::Access::tasks_write,
               forward_if_task_owned(*ports.store, ports.offload, to(config_.notifier_app_id)));
  }
  router.add(verb::get, "/api/notifications", http::Access::tasks_read,
             to(config_.notifier_app_id));
  router.add(verb::post, "/api/notifications/{id}/read", http::Access::tasks_write,
             to(config_.notifier_app_id));
  router.add(verb::get, "/api/me/channels/push/vapid-key", http::Access::account,
             to(config_.notifier_app_id));
  for (auto method : {verb::get, verb::post}) {
    router.add(method, "/api/me/channels/push", http::Access::account, to(config_.notifier_app_id));
  }
  router.add(verb::delete_, "/api/me/channels/push/{id}", http::Access::account,
             to(config_.notifier_app_id));
  for (auto method : {verb::get, verb::put, verb::delete_}) {
    router.add(method, "/api/me/channels/ntfy", http::Access::account, to(config_.notifier_app_id));
    router.add(method, "/api/me/webhook", http::Access::account, to(config_.notifier_app_id));
    router.add(method, "/api/me/channels/email", http::Access::account,
               to(config_.notifier_app_id));
  }
  // An address's confirmation link acts on the notifier's data; it carries no credential (its
  // signature is checked there).
  const auto links_to_notifier =
      bus::dapr::forward_to(dapr_, ports.offload, config_.notifier_app_id);
  router.add(verb::get, "/links/email/{token}", http::Access::open, links_to_notifier);
  router.add(verb::post, "/links/email/{token}", http::Access::open, links_to_notifier,
             http::Body::json_or_form);
  const auto to_assistant =
      services::api::on_behalf_of_caller(*api_, chat_forward(config_.assistant_app_id));
  router.add(verb::post, "/api/chat", http::Access::tasks_write,
             chat_over_invocation(to_assistant));
  router.add(verb::get, "/api/conversations", http::Access::tasks_read, to_assistant);
  router.add(verb::get, "/api/conversations/{id}", http::Access::tasks_read, to_assistant);
  router.add(verb::delete_, "/api/conversations/{id}", http::Access::tasks_write, to_assistant);
  // The assistant's tool calls come back here with the user's credential; their audit actor is
  // the assistant's, with its proof (assistant_actor.hpp).
  process_.set_actor_override(assistant_actor_override(jwt_secret_));
  wire_ws_proxy(ports);
}

// Chat turns go on their own client and pool: a model's turn may take minutes, and a turn calls
// back into the api (its tools), so it must not wait behind the pool it is holding.
http::Handler RoleProcess::chat_forward(const std::string& app_id) {
  if (!chat_dapr_) {
    auto settings = dapr_settings(config_);
    settings.timeout = std::chrono::seconds{300};
    chat_dapr_ = std::make_unique<bus::dapr::DaprClient>(settings);
    chat_offload_ = std::make_unique<base::Offload>(16);
  }
  return bus::dapr::forward_to(*chat_dapr_, *chat_offload_, app_id);
}

// The frontend: the web UI's files, and every /api route, /mcp and the OAuth endpoints passed to
// the api app as they came (the api passes history and notification routes on in turn), /api/ws
// to realtime.
void RoleProcess::wire_frontend(const services::Ports& ports) {
  const auto to_api = bus::dapr::forward_to(dapr_, ports.offload, config_.api_app_id);
  // A chat turn's event stream does not pass through invocation (chat_forwarding.hpp); first,
  // as the router takes the first route that matches.
  ports.router.add(verb::post, "/api/chat", http::Access::open,
                   chat_over_invocation(chat_forward(config_.api_app_id)));
  std::string pattern = "/api";
  for (int depth = 0; depth < 5; ++depth) {
    pattern += "/{p" + std::to_string(depth) + "}";
    for (auto method : {verb::get, verb::post, verb::put, verb::patch, verb::delete_}) {
      ports.router.add(method, pattern, http::Access::open, to_api);
    }
  }
  // Links mailed to users (the api serves a task's, and passes an address's confirmation on to
  // the notifier).
  for (const char* path : {"/links/task/{token}", "/links/email/{token}", "/links/push/{token}",
                           "/links/ntfy/{token}"}) {
    ports.router.add(verb::get, path, http::Access::open, to_api);
    ports.router.add(verb::post, path, http::Access::open, to_api, http::Body::json_or_form);
  }
  // The MCP endpoint too (the api checks the credential and the Origin).
  for (auto method : {verb::post, verb::delete_})
    ports.router.add(method, "/mcp", http::Access::open, to_api);
  // The OAuth authorization server and its metadata (the consent page is the web UI's).
  for (const char* path :
       {"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-authorization-server", "/oauth/authorize"}) {
    ports.router.add(verb::get, path, http::Access::open, to_api);
  }
  for (const char* path : {"/oauth/register", "/oauth/token", "/oauth/revoke"}) {
    ports.router.add(verb::post, path, http::Access::open, to_api, http::Body::json_or_form);
  }
  wire_ws_proxy(ports);
}

void RoleProcess::wire_ws_proxy(const services::Ports& ports) {
  std::vector<http::Upstream> upstreams;
  for (const auto& text : config_.realtime_upstreams) {
    auto u = http::parse_upstream(text);
    if (!u) throw std::runtime_error("--realtime-upstreams: not host:port: " + text);
    upstreams.push_back(*u);
  }
  if (upstreams.empty()) return;
  auto& proxy = ws_proxy_.emplace(std::move(upstreams));
  ports.server.on_upgrade([&proxy](boost::beast::tcp_stream stream, http::Request request) {
    proxy.accept(std::move(stream), std::move(request));
  });
  ports.lifecycle.on_stop_accepting([&proxy] { proxy.close_all(); });
}

void RoleProcess::wire_notifier(const services::Ports& ports) {
  services::notifier::NotifierSettings settings;
  settings.sweep_interval = std::chrono::seconds{config_.sweep_seconds};
  settings.destinations = destination_settings(config_.network);
  add_delivery_settings(settings, config_.delivery, config_.network);
  settings.pager = pager_settings(config_.reminders);
  auto mail = config_.mail;
  if (mail.smtp_url.empty()) {
    auto url = dapr_.secret(config_.secret_store, config_.smtp_url_secret);
    if (url) mail.smtp_url = std::move(*url);
    base::log_json(spdlog::level::info, "smtp url",
                   {{"secret", config_.smtp_url_secret}, {"found", bool{url}}});
  }
  add_email_settings(settings, mail, config_.network, jwt_secret_);
  // The VAPID key: made once by the Helm chart (or the operator) in the secret store.
  auto vapid = dapr_.secret(config_.secret_store, config_.vapid_key_secret);
  base::log_json(spdlog::level::info, "vapid key",
                 {{"secret", config_.vapid_key_secret}, {"found", bool{vapid}}});
  add_push_settings(settings, config_.push, vapid ? std::move(*vapid) : std::string{});
  // Reminders come due through the Dapr Jobs API (POST /job/{name}), by the scheduler's clock.
  const auto jobs_api = [this](const services::Ports& p, services::notifier::JobFiring& firing) {
    auto jobs = std::make_unique<bus::dapr::JobsScheduler>(
        dapr_, p.offload, config_.app_api_token,
        std::bind_front(&services::notifier::JobFiring::fire_checked, &firing));
    jobs->register_routes(p.router);
    return jobs;
  };
  services::notifier::SweepBindingSettings sweep{
      config_.sweep_binding, config_.app_api_token,
      [this](std::string_view key, std::string_view json) {
        return dapr_.save_state(config_.state_store, key, json);
      }};
  notifier_ = services::notifier::wire_notifier(ports, settings, jobs_api, std::move(sweep));
  // The digest's tasks live in the api's database: asked for over service invocation.
  notifier_->service.set_digest_source(
      services::notifier::digest_by_invocation(dapr_, config_.api_app_id));
}

void RoleProcess::wire_realtime(const services::Ports& ports) {
  auto verify = [this](std::string_view token) { return jwt_.verify(token, core::now()); };
  realtime_ = services::realtime::wire_realtime(
      ports,
      token_check_by_api(verify, dapr_, ports.offload, config_.api_app_id,
                         {.ask_about_sessions = true}),
      [this](std::string_view token) -> std::optional<services::realtime::SessionToken> {
        auto claims = jwt_.verify_claims(token, core::now());
        if (!claims) return std::nullopt;
        return services::realtime::SessionToken{claims->generation, claims->expires_at};
      },
      hub_settings(config_.replay));
}

// The assistant: conversations in the Dapr state store, tools on the api by service invocation,
// the LLM's key from the environment or the secret store (none there: no model's key).
void RoleProcess::wire_assistant(const services::Ports& ports) {
  services::assistant::AssistantSettings settings;
  auto llm = config_.llm;
  llm.api_key = llm_api_key_from_environment();
  if (llm.api_key.empty()) {
    auto key = dapr_.secret(config_.secret_store, config_.llm_key_secret);
    if (key) llm.api_key = std::move(*key);
    base::log_json(spdlog::level::info, "llm api key",
                   {{"secret", config_.llm_key_secret}, {"found", bool{key}}});
  }
  settings.llm = llm_settings(llm, config_.network);
  assistant_ = services::assistant::wire_distributed_assistant(
      ports, std::move(settings), dapr_,
      {config_.state_store, config_.api_app_id,
       [this](std::string_view actor, std::string_view authorization) {
         return assistant_actor_proof(jwt_secret_, actor, authorization);
       }});
}

core::Status RoleProcess::ready() {
  if (store_) {
    if (auto st = store_->ping(); !st) return st;
  }
  return dapr_.healthz();
}

}  // namespace tickler::app
