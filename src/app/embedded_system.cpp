#include "app/embedded_system.hpp"

#include <set>

#include "app/bootstrap.hpp"
#include "app/web_root.hpp"
#include "base/log.hpp"
#include "bus/inproc/timer_queue.hpp"
#include "outbox/envelope.hpp"
#include "services/api/api_wiring.hpp"
#include "services/api/digest_route.hpp"
#include "services/assistant/assistant_wiring.hpp"
#include "services/auditor/auditor_wiring.hpp"
#include "services/ops_routes.hpp"
#include "services/realtime/realtime_wiring.hpp"
#include "services/recurrer/recurrer_wiring.hpp"

namespace tickler::app {
namespace {

// Dead letters of the in-process bus go to the dead_letters table (tickler dlq …).
bus::inproc::DeadLetterSink dead_letter_table(store::Store& store) {
  return [&store](const bus::Event& e, const std::string& subscriber, const std::string& error) {
    store::DeadLetter letter;
    letter.subscriber = subscriber;
    letter.event = outbox::from_event(e, core::now());
    letter.error = error;
    letter.created_at = core::now();
    base::log_json(spdlog::level::warn, "event dead-lettered",
                   {{"event_id", e.id}, {"subscriber", subscriber}, {"error", error}});
    return store.write([&](store::Writer& w) { return w.insert_dead_letter(letter); });
  };
}

ProcessSettings process_settings(const ServeConfig& config) {
  ProcessSettings s;
  s.threads = config.db_threads;
  s.pipeline.cors_origins = {config.cors_origins.begin(), config.cors_origins.end()};
  s.server.host = config.host;
  s.server.port = config.port;
  s.server.max_connections = max_connections(config.network);
  return s;
}

services::api::ApiSettings api_settings(const ServeConfig& config) {
  services::api::ApiSettings s;
  s.jwt = {jwt_secret(config.data_dir), std::chrono::seconds{config.token_ttl_seconds}};
  s.auth = auth_settings(config.accounts);
  s.mcp.allowed_origins = {config.cors_origins.begin(), config.cors_origins.end()};
  add_oauth_settings(s, config.network);
  return s;
}

services::notifier::NotifierSettings notifier_settings(const ServeConfig& config) {
  services::notifier::NotifierSettings s;
  s.destinations = destination_settings(config.network);
  add_delivery_settings(s, config.delivery, config.network);
  s.pager = pager_settings(config.reminders);
  add_email_settings(s, config.mail, config.network, jwt_secret(config.data_dir));
  add_push_settings(s, config.push, std::nullopt);  // the key kept in the database
  return s;
}

// The notifier's scheduler: one thread over a min-heap, never firing before a job's instant.
std::unique_ptr<bus::Scheduler> timer_queue(const services::Ports& ports,
                                            services::notifier::JobFiring& firing) {
  auto timers = std::make_unique<bus::inproc::TimerQueue>(
      std::bind_front(&services::notifier::JobFiring::fire, &firing));
  ports.lifecycle.on_start([timers = timers.get()] { timers->start(); });
  ports.lifecycle.on_stop([timers = timers.get()] { timers->stop(); });
  return timers;
}

}  // namespace

EmbeddedSystem::EmbeddedSystem(const ServeConfig& config, boost::asio::io_context& ioc)
    : config_(config),
      retention_settings_(event_retention_settings(config.retention, true, true, false)),
      store_(open_store(config.data_dir, config.db_threads)),
      process_(process_settings(config), ioc),
      bus_({}, dead_letter_table(*store_)),
      relay_({}, *store_, bus_) {
  process_.run_relay(relay_);
  const auto ports = process_.ports(store_.get(), bus_);
  api_ = services::api::wire_api(ports, api_settings(config));
  auto& api = *api_;
  // The recurrer and realtime reach the api in-process.
  recurrer_ = services::recurrer::wire_recurrer(
      ports, std::bind_front(&services::api::create_recurrer_occurrence, std::ref(api)));
  auditor_ = services::auditor::wire_auditor(ports);
  notifier_ = services::notifier::wire_notifier(ports, notifier_settings(config), &timer_queue);
  notifier_->service.set_task_check([store = store_.get()](core::UserId user, core::TaskId task) {
    return task_owned(*store, user, task);
  });
  notifier_->service.set_digest_source(
      [store = store_.get()](core::UserId user, core::Instant day_end) {
        return services::api::digest_tasks(*store, user, day_end);
      });
  realtime_ = services::realtime::wire_realtime(
      ports, std::bind_front(&services::api::ApiService::authenticate, &api),
      [&api](std::string_view token) -> std::optional<services::realtime::SessionToken> {
        auto claims = api.auth().claims(token);
        if (!claims) return std::nullopt;
        return services::realtime::SessionToken{claims->generation, claims->expires_at};
      },
      hub_settings(config.replay));
  retention_ = services::wire_event_retention(ports, retention_settings_);
  // The assistant runs its tools through this process's pipeline, as the api's routes.
  services::assistant::AssistantSettings assistant;
  auto llm = config.llm;
  llm.api_key = llm_api_key_from_environment();
  assistant.llm = llm_settings(llm, config.network);
  assistant_ = services::assistant::wire_assistant(ports, std::move(assistant));
  services::add_ops_routes(ports, [&store = *store_] { return services::store_answers(store); });
  process_.set_authenticator(std::bind_front(&services::api::ApiService::authenticate, &api));
  process_.set_challenge(std::bind_front(&services::api::ApiService::challenge, &api));
  web_ = &process_.serve_web(config.web_root.empty() ? default_web_root()
                                                     : std::filesystem::path{config.web_root});
}

EmbeddedSystem::~EmbeddedSystem() {
  process_.stop_background();
}

boost::json::object EmbeddedSystem::listening() const {
  return {{"host", config_.host}, {"port", process_.port()}, {"data", config_.data_dir}};
}

void EmbeddedSystem::after_listening() const {
  base::log_json(web_->available() ? spdlog::level::info : spdlog::level::warn,
                 web_->available() ? "serving the web UI" : "the web UI is not built",
                 {{"web_root", web_->root().string()}});
}

}  // namespace tickler::app
