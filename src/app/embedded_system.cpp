#include "app/embedded_system.hpp"

#include <charconv>
#include <set>

#include "app/bootstrap.hpp"
#include "app/web_root.hpp"
#include "base/log.hpp"
#include "wire/topics.hpp"

namespace tickler::app {
namespace {

// Dead letters of the in-process bus go to the dead_letters table (tickler dlq …).
bus::inproc::DeadLetterSink dead_letter_table(store::Store& store) {
  return [&store](const bus::Event& e, const std::string& subscriber, const std::string& error) {
    store::DeadLetter letter;
    letter.subscriber = subscriber;
    core::UserId user = 0;
    std::from_chars(e.partition_key.data(), e.partition_key.data() + e.partition_key.size(), user);
    letter.event = {0,      e.topic, e.type, e.source,    e.subject, user,
                    e.data, e.id,    {},     core::now(), 0};
    letter.error = error;
    letter.created_at = core::now();
    base::log_json(spdlog::level::warn, "event dead-lettered",
                   {{"event_id", e.id}, {"subscriber", subscriber}, {"error", error}});
    return store.write([&](store::Writer& w) { return w.insert_dead_letter(letter); });
  };
}

services::api::ApiSettings api_settings(const ServeConfig& config) {
  services::api::ApiSettings s{
      {jwt_secret(config.data_dir), std::chrono::seconds{config.token_ttl_seconds}}, {}, {}};
  s.auth = auth_settings(config.accounts);
  return s;
}

services::notifier::NotifierSettings notifier_settings(const ServeConfig& config) {
  services::notifier::NotifierSettings s;
  s.destinations = destination_settings(config.network);
  return s;
}

http::ServerSettings server_settings(const ServeConfig& config) {
  http::ServerSettings s;
  s.host = config.host;
  s.port = config.port;
  s.max_connections = max_connections(config.network);
  return s;
}

}  // namespace

EmbeddedSystem::EmbeddedSystem(const ServeConfig& config, boost::asio::io_context& ioc)
    : store_(open_store(config.data_dir, config.db_threads)),
      offload_(config.db_threads),
      bus_({}, dead_letter_table(*store_)),
      relay_({}, *store_, bus_),
      api_(api_settings(config), *store_, offload_, metrics_, [this] { relay_.wake(); }),
      auditor_(*store_, offload_),
      recurrer_([this](const core::OccurrenceRequest& r) {
        return api_.tasks().create_occurrence(r, {"recurrer", ""});
      }),
      notifier_(notifier_settings(config), *store_, offload_, [this] { relay_.wake(); }),
      timers_([this](const std::vector<std::string>& ids) {
        if (auto n = notifier_.fire_due(ids); !n) {
          base::log_json(spdlog::level::warn, "firing reminders failed",
                         {{"error", n.error().message}});
        }
      }),
      realtime_(
          std::bind_front(&services::api::ApiService::authenticate, &api_),
          [this](const http::Request* request, http::Response& response,
                 std::string_view request_id) { pipeline_.finish(request, response, request_id); }),
      web_({config.web_root.empty() ? default_web_root() : std::filesystem::path{config.web_root}},
           offload_),
      pipeline_({std::set<std::string>(config.cors_origins.begin(), config.cors_origins.end())},
                router_, metrics_,
                std::bind_front(&services::api::ApiService::authenticate, &api_)),
      server_(ioc, server_settings(config), pipeline_) {
  api_.register_routes(router_);
  auditor_.register_routes(router_);
  notifier_.register_routes(router_);
  metrics_.add_source([this](std::string& out) { relay_.write_metrics(out); });
  metrics_.add_source([this](std::string& out) { notifier_.write_metrics(out); });
  notifier_.set_scheduler(&timers_);
  realtime_.set_token_info(
      [this](std::string_view token) -> std::optional<services::realtime::SessionToken> {
        auto claims = api_.auth().claims(token);
        if (!claims) return std::nullopt;
        return services::realtime::SessionToken{claims->generation, claims->expires_at};
      });
  pipeline_.set_fallback(std::bind_front(&http::StaticFiles::handle, &web_));

  namespace topic = wire::topic;
  using services::auditor::AuditService;
  using services::notifier::NotifierService;
  using services::realtime::RealtimeService;
  using services::recurrer::RecurrerService;
  bus_.subscribe(std::string{topic::task_events}, "recurrer",
                 std::bind_front(&RecurrerService::on_task_event, &recurrer_));
  bus_.subscribe_batch(std::string{topic::task_events}, "auditor",
                       std::bind_front(&AuditService::on_task_events, &auditor_));
  bus_.subscribe_batch(std::string{topic::reminders}, "notifier",
                       std::bind_front(&NotifierService::on_reminder_events, &notifier_));
  bus_.subscribe(std::string{topic::task_updates}, "realtime",
                 std::bind_front(&RealtimeService::on_task_update, &realtime_));
  bus_.subscribe(std::string{topic::notifications}, "realtime",
                 std::bind_front(&RealtimeService::on_notification, &realtime_));
  server_.on_upgrade([this](boost::beast::tcp_stream stream, http::Request request) {
    realtime_.accept(std::move(stream), std::move(request));
  });
}

EmbeddedSystem::~EmbeddedSystem() {
  stop_background();
}

void EmbeddedSystem::start() {
  timers_.start();
  if (auto st = notifier_.start(); !st) throw std::runtime_error(st.error().message);
  relay_.start();
  if (auto st = server_.start(); !st) throw std::runtime_error(st.error().message);
}

boost::asio::awaitable<void> EmbeddedSystem::stop_accepting(std::chrono::milliseconds grace) {
  co_await server_.stop(grace);
  realtime_.stop();
  api_.stop();
}

void EmbeddedSystem::stop_background() {
  if (background_stopped_) return;
  background_stopped_ = true;
  relay_.stop();
  notifier_.stop();
  timers_.stop();
  offload_.join();
}

}  // namespace tickler::app
