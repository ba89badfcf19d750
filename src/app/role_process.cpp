#include "app/role_process.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <thread>

#include "app/bootstrap.hpp"
#include "app/web_root.hpp"
#include "base/log.hpp"
#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "store/postgres/pg_store.hpp"
#include "wire/occurrence_json.hpp"
#include "wire/task_json.hpp"
#include "wire/topics.hpp"

namespace tickler::app {
namespace {

using http::beast_http::field;
using http::beast_http::status;
using http::beast_http::verb;

constexpr std::array<std::string_view, 6> k_roles{"api",     "notifier", "recurrer",
                                                  "auditor", "realtime", "frontend"};

bool has_store(std::string_view role) {
  return role == "api" || role == "notifier" || role == "auditor";
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

http::ServerSettings server_settings(const RoleConfig& c) {
  http::ServerSettings s;
  s.host = c.host;
  s.port = c.port ? c.port : default_port(c.role);
  // A bulk delivery from the sidecar holds up to 100 events; daprd's own limit is 4 MiB.
  s.body_limits_by_prefix = {{"/events/", 4 * 1024 * 1024}};
  s.max_connections = max_connections(c.network);
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
  if (role == "api") return {"api", "outbox"};
  if (role == "notifier") return {"notifier", "outbox", "consumer"};
  if (role == "auditor") return {"auditor", "consumer"};
  return {};
}

RoleProcess::RoleProcess(const RoleConfig& config, boost::asio::io_context& ioc)
    : config_(config),
      dapr_(dapr_settings(config)),
      store_(open_role_store(config, dapr_)),
      jwt_({jwt_secret_of(config, dapr_), std::chrono::seconds{config.token_ttl_seconds}}),
      offload_(config.db_threads),
      bus_(bus_settings(config), dapr_, offload_),
      pipeline_({std::set<std::string>(config.cors_origins.begin(), config.cors_origins.end())},
                router_, metrics_,
                config.role == "api"
                    ? http::Authenticator{[this](std::string_view token) {
                        return api_->authenticate(token);
                      }}
                    : http::Authenticator{std::bind_front(&RoleProcess::verify_token, this)}),
      server_(ioc, server_settings(config), pipeline_) {
  namespace topic = wire::topic;
  const std::string& role = config_.role;
  if (role == "api") wire_api(ioc);
  if (role == "auditor") {
    auditor_.emplace(*store_, offload_);
    auditor_->register_routes(router_);
    bus_.subscribe_batch(
        std::string{topic::task_events}, "auditor",
        std::bind_front(&services::auditor::AuditService::on_task_events, &*auditor_));
  }
  if (role == "recurrer") {
    recurrer_.emplace(std::bind_front(&RoleProcess::occurrence_via_api, this));
    bus_.subscribe(
        std::string{topic::task_events}, "recurrer",
        std::bind_front(&services::recurrer::RecurrerService::on_task_event, &*recurrer_));
  }
  if (role == "notifier") wire_notifier();
  if (role == "frontend") wire_frontend();
  if (role == "frontend" || (role == "api" && !config_.web_root.empty())) {
    web_.emplace(http::StaticFilesSettings{config_.web_root.empty()
                                               ? default_web_root()
                                               : std::filesystem::path{config_.web_root}},
                 offload_);
    pipeline_.set_fallback(std::bind_front(&http::StaticFiles::handle, &*web_));
    base::log_json(spdlog::level::info, "web UI",
                   {{"root", web_->root().string()}, {"built", web_->available()}});
  }
  if (role == "realtime") {
    realtime_.emplace(
        std::bind_front(&RoleProcess::verify_token_with_api, this),
        [this](const http::Request* request, http::Response& response,
               std::string_view request_id) { pipeline_.finish(request, response, request_id); });
    realtime_->set_token_info(
        [this](std::string_view token) -> std::optional<services::realtime::SessionToken> {
          auto claims = jwt_.verify_claims(token, core::now());
          if (!claims) return std::nullopt;
          return services::realtime::SessionToken{claims->generation, claims->expires_at};
        });
    using services::realtime::RealtimeService;
    bus_.subscribe(std::string{topic::task_updates}, "realtime",
                   std::bind_front(&RealtimeService::on_task_update, &*realtime_));
    bus_.subscribe(std::string{topic::notifications}, "realtime",
                   std::bind_front(&RealtimeService::on_notification, &*realtime_));
    server_.on_upgrade([this](boost::beast::tcp_stream stream, http::Request request) {
      realtime_->accept(std::move(stream), std::move(request));
    });
  }
  bus_.register_routes(router_);
  metrics_.add_source([this](std::string& out) { bus_.write_metrics(out); });
  if (relay_) metrics_.add_source([this](std::string& out) { relay_->write_metrics(out); });
  if (notifier_) metrics_.add_source([this](std::string& out) { notifier_->write_metrics(out); });
  wire_common_routes();
}

RoleProcess::~RoleProcess() {
  stop_background();
}

void RoleProcess::wire_api(boost::asio::io_context& ioc) {
  relay_.emplace(outbox::RelaySettings{.lanes = config_.relay_lanes}, *store_, bus_);
  services::api::ApiSettings settings{
      {jwt_secret_of(config_, dapr_), std::chrono::seconds{config_.token_ttl_seconds}}, {}, {}};
  settings.auth = auth_settings(config_.accounts);
  api_.emplace(std::move(settings), *store_, offload_, metrics_, [this] { relay_->wake(); });
  api_->register_routes(router_);
  api_->start(ioc);
  router_.add(verb::post, "/internal/occurrences", false,
              std::bind_front(&RoleProcess::create_occurrence, this));
  // One origin for the browser: the routes of the auditor and the notifier are forwarded to
  // them through service invocation, the WebSocket to a realtime replica. The api checks the
  // token first (it alone knows revoked tokens and deleted users); they check the signature too.
  const auto to = [this](const std::string& app) {
    return http::Handler{std::bind_front(&RoleProcess::forward, this, app)};
  };
  router_.add(verb::get, "/api/tasks/{id}/history", true, to(config_.auditor_app_id));
  router_.add(verb::get, "/api/notifications", true, to(config_.notifier_app_id));
  router_.add(verb::post, "/api/notifications/{id}/read", true, to(config_.notifier_app_id));
  for (auto method : {verb::get, verb::put, verb::delete_}) {
    router_.add(method, "/api/me/webhook", true, to(config_.notifier_app_id));
  }
  wire_ws_proxy();
}

// The frontend: the web UI's files, and every /api route passed to the api app as it came
// (the api passes history and notification routes on in turn), /api/ws to realtime.
void RoleProcess::wire_frontend() {
  const auto to_api =
      http::Handler{std::bind_front(&RoleProcess::forward, this, config_.api_app_id)};
  std::string pattern = "/api";
  for (int depth = 0; depth < 5; ++depth) {
    pattern += "/{p" + std::to_string(depth) + "}";
    for (auto method : {verb::get, verb::post, verb::put, verb::patch, verb::delete_}) {
      router_.add(method, pattern, false, to_api);
    }
  }
  wire_ws_proxy();
}

void RoleProcess::wire_ws_proxy() {
  std::vector<http::Upstream> upstreams;
  for (const auto& text : config_.realtime_upstreams) {
    auto u = http::parse_upstream(text);
    if (!u) throw std::runtime_error("--realtime-upstreams: not host:port: " + text);
    upstreams.push_back(*u);
  }
  if (!upstreams.empty()) {
    ws_proxy_.emplace(std::move(upstreams));
    server_.on_upgrade([this](boost::beast::tcp_stream stream, http::Request request) {
      ws_proxy_->accept(std::move(stream), std::move(request));
    });
  }
}

core::Result<bus::dapr::SidecarResponse> RoleProcess::invoke_raw(
    const std::string& method, const std::string& target, const std::string& body,
    const std::string& content_type, const bus::dapr::Headers& headers) {
  return dapr_.request(method, target, body, content_type, headers);
}

// A same-origin route of another service: passed on as it came (method, path, query, body,
// Authorization and the conditional and idempotency headers), its answer passed back with its
// end-to-end headers (ETag, Location, …).
RoleProcess::Res RoleProcess::forward(const std::string& app_id, Ctx& ctx) {
  const std::string method{ctx.request.method_string()};
  const std::string target = "/v1.0/invoke/" + bus::dapr::encode_component(app_id) + "/method" +
                             std::string{ctx.request.target()};
  bus::dapr::Headers headers;
  for (std::string_view name : {"Authorization", "If-Match", "If-None-Match", "Idempotency-Key"}) {
    if (auto v = ctx.request[name]; !v.empty()) headers.emplace_back(name, std::string{v});
  }
  headers.emplace_back("X-Request-Id", ctx.request_id);
  const std::string body = ctx.request.body();
  const std::string content_type{ctx.request[field::content_type]};
  auto r = co_await offload_.call(&RoleProcess::invoke_raw, this, method, target, body,
                                  content_type, headers);
  if (!r) {
    co_return http::error_response(core::make_error(
        core::Errc::unavailable, app_id + " is not reachable: " + r.error().message));
  }
  http::Response res{static_cast<status>(r->status), 11};
  if (!r->content_type.empty()) res.set(field::content_type, r->content_type);
  for (const auto& [name, value] : r->headers) res.set(name, value);
  res.body() = std::move(r->body);
  res.prepare_payload();
  co_return res;
}

void RoleProcess::wire_notifier() {
  relay_.emplace(outbox::RelaySettings{.lanes = config_.relay_lanes}, *store_, bus_);
  services::notifier::NotifierSettings settings;
  settings.sweep_interval = std::chrono::seconds{config_.sweep_seconds};
  settings.destinations = destination_settings(config_.network);
  notifier_.emplace(settings, *store_, offload_, [this] { relay_->wake(); });
  notifier_->register_routes(router_);
  jobs_.emplace(dapr_, offload_, config_.app_api_token,
                std::bind_front(&RoleProcess::fire_jobs, this));
  jobs_->register_routes(router_);
  notifier_->set_scheduler(&*jobs_);
  bus_.subscribe_batch(
      std::string{wire::topic::reminders}, "notifier",
      std::bind_front(&services::notifier::NotifierService::on_reminder_events, &*notifier_));
  // Dapr input bindings POST to /<binding name> (and may ask OPTIONS first).
  const std::string path = "/" + config_.sweep_binding;
  router_.add(verb::post, path, false, std::bind_front(&RoleProcess::sweep, this));
  router_.add(verb::options, path, false, std::bind_front(&RoleProcess::sweep, this));
}

void RoleProcess::wire_common_routes() {
  if (config_.role == "api") return;  // the api serves its own operational routes
  router_.add(verb::get, "/healthz", false, std::bind_front(&RoleProcess::healthz, this));
  router_.add(verb::get, "/readyz", false, std::bind_front(&RoleProcess::readyz, this));
  router_.add(verb::get, "/metrics", false, std::bind_front(&RoleProcess::metrics, this));
}

void RoleProcess::start() {
  if (notifier_) {
    if (auto st = notifier_->start(); !st) throw std::runtime_error(st.error().message);
  }
  if (relay_) relay_->start();
  if (auto st = server_.start(); !st) throw std::runtime_error(st.error().message);
}

boost::asio::awaitable<void> RoleProcess::stop_accepting(std::chrono::milliseconds grace) {
  co_await server_.stop(grace);
  if (realtime_) realtime_->stop();
  if (ws_proxy_) ws_proxy_->close_all();
  if (api_) api_->stop();
}

void RoleProcess::stop_background() {
  if (background_stopped_) return;
  background_stopped_ = true;
  if (relay_) relay_->stop();
  if (notifier_) notifier_->stop();
  offload_.join();
}

http::net::awaitable<core::Result<core::UserId>> RoleProcess::verify_token(std::string_view token) {
  co_return jwt_.verify(token, core::now());
}

// realtime: a WebSocket is opened only for a token the api still accepts (GET /api/me through
// service invocation): the api alone knows revoked generations, disabled and deleted users.
// Open sockets learn of later revocations from tickler.user.revoked.v1 on task-updates.
http::net::awaitable<core::Result<core::UserId>> RoleProcess::verify_token_with_api(
    std::string_view token) {
  auto id = jwt_.verify(token, core::now());
  if (!id) co_return id;
  const std::string target =
      "/v1.0/invoke/" + bus::dapr::encode_component(config_.api_app_id) + "/method/api/me";
  const bus::dapr::Headers headers{{"Authorization", "Bearer " + std::string{token}}};
  auto r = co_await offload_.call(&RoleProcess::invoke_raw, this, std::string{"GET"}, target,
                                  std::string{}, std::string{}, headers);
  if (!r) {
    co_return core::make_error(core::Errc::unavailable,
                               "the api is not reachable to check the token: " + r.error().message);
  }
  if (r->status == 200) co_return *id;
  if (r->status == 401 || r->status == 403) {
    co_return core::make_error(core::Errc::unauthorized,
                               "the token was revoked or its account is gone");
  }
  co_return core::make_error(core::Errc::unavailable,
                             "the api answered " + std::to_string(r->status) + " to a token check");
}

RoleProcess::Res RoleProcess::healthz(Ctx&) {
  co_return http::json_response(status::ok, boost::json::object{{"status", "ok"}});
}

core::Status RoleProcess::ready() {
  if (store_) {
    if (auto st = store_->ping(); !st) return st;
  }
  return dapr_.healthz();
}

RoleProcess::Res RoleProcess::readyz(Ctx&) {
  auto st = co_await offload_.call(&RoleProcess::ready, this);
  if (!st) co_return http::error_response(st.error());
  co_return http::json_response(status::ok, boost::json::object{{"status", "ready"}});
}

RoleProcess::Res RoleProcess::metrics(Ctx&) {
  http::Response res{status::ok, 11};
  res.set(field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.body() = metrics_.render();
  res.prepare_payload();
  co_return res;
}

core::Result<core::Task> RoleProcess::occurrence_here(const core::OccurrenceRequest& request) {
  return api_->tasks().create_occurrence(request, {"recurrer", ""});
}

// POST /internal/occurrences (api): the recurrer's request through service
// invocation.
RoleProcess::Res RoleProcess::create_occurrence(Ctx& ctx) {
  if (!bus::dapr::from_sidecar(ctx.request, config_.app_api_token)) {
    co_return bus::dapr::sidecar_unauthorized();
  }
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  auto request = wire::occurrence_from_json(*body);
  if (!request) co_return http::error_response(request.error());
  const core::OccurrenceRequest req = *request;
  auto task = co_await offload_.call(&RoleProcess::occurrence_here, this, req);
  if (!task) co_return http::error_response(task.error());
  co_return http::json_response(status::ok, wire::task_to_json(*task));
}

// The recurrer's CreateOccurrence: the api creates (or finds) it, keyed by
// series position.
core::Result<core::Task> RoleProcess::occurrence_via_api(const core::OccurrenceRequest& request) {
  auto r = dapr_.invoke(config_.api_app_id, "internal/occurrences",
                        boost::json::serialize(wire::occurrence_to_json(request)),
                        {{"Idempotency-Key", wire::occurrence_key(request)}});
  if (!r) return r.error();
  if (r->status == 404) return core::make_error(core::Errc::not_found, "the series has ended");
  if (r->status == 400 || r->status == 422) {
    return core::make_error(core::Errc::validation_failed, "api refused: " + r->body);
  }
  if (r->status != 200 && r->status != 201) {
    return core::make_error(core::Errc::unavailable,
                            "api answered " + std::to_string(r->status) + ": " + r->body);
  }
  auto json = http::parse_json_object(r->body);
  if (!json) return json.error();
  return wire::task_from_json(*json);
}

// A job fires at its due time by the scheduler's clock; a reminder is never
// fired before its instant by ours, so one that is not due yet by a hair is
// waited for, one further out is scheduled again.
core::Status RoleProcess::fire_jobs(const std::vector<std::string>& names) {
  auto fired = notifier_->fire_due(names);
  if (!fired) return fired.error();
  for (const auto& name : names) {
    auto row = store_->read_value([&](store::Reader& r) { return r.reminder(name); });
    if (!row) return row.error();
    if (!*row || (*row)->state != "scheduled") continue;
    const auto wait = (*row)->remind_at - core::now();
    if (wait > std::chrono::seconds{2}) {
      jobs_->schedule(name, (*row)->remind_at);
      continue;
    }
    std::this_thread::sleep_for(wait + std::chrono::milliseconds{1});
    if (auto again = notifier_->fire_due({name}); !again) return again.error();
  }
  return {};
}

core::Result<int> RoleProcess::run_sweep() {
  auto fired = notifier_->sweep();
  if (!fired) return fired;
  // Best effort: where operators look for the safety net's last run (Dapr state).
  const auto record = boost::json::serialize(
      boost::json::object{{"at", core::format_rfc3339(core::now())}, {"fired", *fired}});
  if (auto st = dapr_.save_state(config_.state_store, "sweep-last", record); !st) {
    base::log_json(spdlog::level::warn, "recording the sweep failed",
                   {{"error", st.error().message}});
  }
  return fired;
}

// POST /reminder-sweep: the bindings.cron input, every minute.
RoleProcess::Res RoleProcess::sweep(Ctx& ctx) {
  if (!bus::dapr::from_sidecar(ctx.request, config_.app_api_token)) {
    co_return bus::dapr::sidecar_unauthorized();
  }
  if (ctx.request.method() == verb::options) co_return http::empty_response(status::ok);
  auto fired = co_await offload_.call(&RoleProcess::run_sweep, this);
  if (!fired) co_return http::error_response(fired.error());
  co_return http::json_response(status::ok, boost::json::object{{"fired", *fired}});
}

}  // namespace tickler::app
