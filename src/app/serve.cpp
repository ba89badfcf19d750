// tickler serve: the all-in-one process. Wires store, offload pool, api service, HTTP pipeline
// and server; stops them in reverse order on SIGTERM/SIGINT.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <set>
#include <thread>

#include "app/bootstrap.hpp"
#include "app/roles.hpp"
#include "http/log.hpp"
#include "http/server.hpp"
#include "services/api/api_service.hpp"

namespace tickler::app {
namespace {

namespace net = boost::asio;

net::awaitable<void> stop_on_signal(net::signal_set& signals, http::Server& server,
                                    services::api::ApiService& api,
                                    std::chrono::milliseconds grace) {
  auto [ec, signo] = co_await signals.async_wait(net::as_tuple(net::use_awaitable));
  if (ec) co_return;
  http::log_json(spdlog::level::info, "stopping", {{"signal", signo}});
  co_await server.stop(grace);
  api.stop();
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

    services::api::ApiSettings api_settings{
        {jwt_secret(config.data_dir), std::chrono::seconds{config.token_ttl_seconds}}, {}};
    services::api::ApiService api{std::move(api_settings), *store, offload, metrics};
    api.register_routes(router);

    http::PipelineSettings pipeline_settings{
        std::set<std::string>(config.cors_origins.begin(), config.cors_origins.end())};
    http::Pipeline pipeline{std::move(pipeline_settings), router, metrics,
                            std::bind_front(&services::api::ApiService::authenticate, &api)};
    http::Server server{ioc, {config.host, config.port}, pipeline};
    if (auto st = server.start(); !st) throw std::runtime_error(st.error().message);
    api.start(ioc);

    net::signal_set signals{ioc, SIGINT, SIGTERM};
    net::co_spawn(
        ioc,
        stop_on_signal(signals, server, api, std::chrono::seconds{config.shutdown_grace_seconds}),
        net::detached);
    http::log_json(spdlog::level::info, "listening",
                   {{"host", config.host}, {"port", server.port()}, {"data", config.data_dir}});

    std::vector<std::thread> threads;
    for (int i = 1; i < config.io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    offload.join();
    http::log_json(spdlog::level::info, "stopped");
    spdlog::shutdown();
    return 0;
  } catch (const std::exception& e) {
    http::log_json(spdlog::level::critical, "start-up failed", {{"error", e.what()}});
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
