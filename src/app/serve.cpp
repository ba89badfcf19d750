// tickler serve: the whole event-driven system in one process. The same services that run as
// separate Dapr apps in distributed mode, wired here to the SQLite store, the in-process bus and
// the in-process timer queue. Started in dependency order, stopped in reverse on SIGTERM/SIGINT.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <set>
#include <thread>

#include "app/bootstrap.hpp"
#include "app/roles.hpp"
#include "bus/inproc/inproc_bus.hpp"
#include "bus/inproc/timer_queue.hpp"
#include "http/log.hpp"
#include "http/server.hpp"
#include "services/api/api_service.hpp"
#include "services/api/outbox_relay.hpp"
#include "services/auditor/audit_service.hpp"
#include "services/notifier/notifier_service.hpp"
#include "services/realtime/realtime_service.hpp"
#include "services/recurrer/recurrer_service.hpp"

namespace tickler::app {
namespace {

namespace net = boost::asio;

struct Stoppable {
  http::Server& server;
  services::realtime::RealtimeService& realtime;
  services::api::ApiService& api;
};

net::awaitable<void> stop_on_signal(net::signal_set& signals, Stoppable parts,
                                    std::chrono::milliseconds grace) {
  auto [ec, signo] = co_await signals.async_wait(net::as_tuple(net::use_awaitable));
  if (ec) co_return;
  http::log_json(spdlog::level::info, "stopping", {{"signal", signo}});
  co_await parts.server.stop(grace);
  parts.realtime.stop();
  parts.api.stop();
}

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
    http::log_json(spdlog::level::warn, "event dead-lettered",
                   {{"event_id", e.id}, {"subscriber", subscriber}, {"error", error}});
    return store.write([&](store::Writer& w) { return w.insert_dead_letter(letter); });
  };
}

}  // namespace

int run_serve(const ServeConfig& config) {
  try {
    init_process(config.log_level);
    auto store = open_store(config.data_dir, config.db_threads);
    net::io_context ioc{config.io_threads};
    http::Offload offload{config.db_threads};
    http::Metrics metrics;
    http::Router router;

    bus::inproc::InprocBus bus{{}, dead_letter_table(*store)};
    services::api::OutboxRelay relay{{}, *store, bus};
    auto wake_relay = [&relay] { relay.wake(); };

    services::api::ApiSettings api_settings{
        {jwt_secret(config.data_dir), std::chrono::seconds{config.token_ttl_seconds}}, {}};
    services::api::ApiService api{std::move(api_settings), *store, offload, metrics, wake_relay};
    api.register_routes(router);
    auto authenticate = std::bind_front(&services::api::ApiService::authenticate, &api);

    services::auditor::AuditService auditor{*store, offload};
    auditor.register_routes(router);
    services::recurrer::RecurrerService recurrer{[&api](const core::OccurrenceRequest& r) {
      return api.tasks().create_occurrence(r, {"recurrer", ""});
    }};
    services::notifier::NotifierService notifier{{}, *store, offload, wake_relay};
    notifier.register_routes(router);
    bus::inproc::TimerQueue timers{[&notifier](const std::vector<std::string>& ids) {
      if (auto n = notifier.fire_due(ids); !n) {
        http::log_json(spdlog::level::warn, "firing reminders failed",
                       {{"error", n.error().message}});
      }
    }};
    notifier.set_scheduler(&timers);
    services::realtime::RealtimeService realtime{authenticate};

    using bus::Event;
    namespace topic = bus::topic;
    bus.subscribe(std::string{topic::task_events}, "recurrer",
                  std::bind_front(&services::recurrer::RecurrerService::on_task_event, &recurrer));
    bus.subscribe(std::string{topic::task_events}, "auditor",
                  std::bind_front(&services::auditor::AuditService::on_task_event, &auditor));
    bus.subscribe(
        std::string{topic::reminders}, "notifier",
        std::bind_front(&services::notifier::NotifierService::on_reminder_event, &notifier));
    bus.subscribe(std::string{topic::task_updates}, "realtime",
                  std::bind_front(&services::realtime::RealtimeService::on_task_update, &realtime));
    bus.subscribe(
        std::string{topic::notifications}, "realtime",
        std::bind_front(&services::realtime::RealtimeService::on_notification, &realtime));

    http::PipelineSettings pipeline_settings{
        std::set<std::string>(config.cors_origins.begin(), config.cors_origins.end())};
    http::Pipeline pipeline{std::move(pipeline_settings), router, metrics, authenticate};
    http::Server server{ioc, {config.host, config.port}, pipeline};
    server.on_upgrade([&realtime](boost::beast::tcp_stream stream, http::Request request) {
      realtime.accept(std::move(stream), std::move(request));
    });

    timers.start();
    if (auto st = notifier.start(); !st) throw std::runtime_error(st.error().message);
    relay.start();
    if (auto st = server.start(); !st) throw std::runtime_error(st.error().message);
    api.start(ioc);

    net::signal_set signals{ioc, SIGINT, SIGTERM};
    net::co_spawn(ioc,
                  stop_on_signal(signals, {server, realtime, api},
                                 std::chrono::seconds{config.shutdown_grace_seconds}),
                  net::detached);
    http::log_json(spdlog::level::info, "listening",
                   {{"host", config.host}, {"port", server.port()}, {"data", config.data_dir}});

    std::vector<std::thread> threads;
    for (int i = 1; i < config.io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    relay.stop();
    notifier.stop();
    timers.stop();
    offload.join();
    http::log_json(spdlog::level::info, "stopped");
    spdlog::shutdown();
    return 0;
  } catch (const std::exception& e) {
    http::log_json(spdlog::level::critical, "start-up failed", {{"error", e.what()}});
    spdlog::shutdown();
    return 1;
  }
}

int run_migrate(const MigrateConfig& config) {
  try {
    init_process("info");
    auto store = open_store(config.data_dir, 1);
    spdlog::shutdown();
    return 0;
  } catch (const std::exception& e) {
    http::log_json(spdlog::level::critical, "migration failed", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace tickler::app
