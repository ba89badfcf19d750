// tickler serve and tickler migrate (SQLite, or a role's PostgreSQL tables). serve runs the
// EmbeddedSystem on the I/O threads until SIGTERM/SIGINT, then stops it in reverse order of start.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "app/bootstrap.hpp"
#include "app/embedded_system.hpp"
#include "app/role_process.hpp"
#include "app/roles.hpp"
#include "base/log.hpp"
#include "store/postgres/pg_store.hpp"

namespace tickler::app {
namespace {

namespace net = boost::asio;

net::awaitable<void> stop_on_signal(net::signal_set& signals, EmbeddedSystem& system,
                                    std::chrono::milliseconds grace) {
  auto [ec, signo] = co_await signals.async_wait(net::as_tuple(net::use_awaitable));
  if (ec) co_return;
  base::log_json(spdlog::level::info, "stopping", {{"signal", signo}});
  co_await system.stop_accepting(grace);
}

}  // namespace

int run_serve(const ServeConfig& config) {
  try {
    init_process(config.log_level);
    net::io_context ioc{config.io_threads};
    EmbeddedSystem system{config, ioc};
    system.start();
    net::signal_set signals{ioc, SIGINT, SIGTERM};
    net::co_spawn(
        ioc, stop_on_signal(signals, system, std::chrono::seconds{config.shutdown_grace_seconds}),
        net::detached);
    base::log_json(spdlog::level::info, "listening",
                   {{"host", config.host}, {"port", system.port()}, {"data", config.data_dir}});
    base::log_json(system.web().available() ? spdlog::level::info : spdlog::level::warn,
                   system.web().available() ? "serving the web UI" : "the web UI is not built",
                   {{"web_root", system.web().root().string()}});
    std::vector<std::thread> threads;
    for (int i = 1; i < config.io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    system.stop_background();
    base::log_json(spdlog::level::info, "stopped");
    spdlog::shutdown();
    return 0;
  } catch (const std::exception& e) {
    base::log_json(spdlog::level::critical, "start-up failed", {{"error", e.what()}});
    spdlog::shutdown();
    return 1;
  }
}

int run_migrate(const MigrateConfig& config) {
  try {
    init_process("info");
    if (config.role.empty()) {
      auto store = open_store(config.data_dir, 1);
    } else {
      if (config.database_url.empty()) throw std::runtime_error("--database-url is required");
      std::vector<std::string> roles;
      if (config.role != "all") {
        if (!is_role(config.role)) throw std::runtime_error("unknown role " + config.role);
        roles = store_roles(config.role);
        if (roles.empty()) throw std::runtime_error(config.role + " has no tables");
      }
      store::postgres::PostgresSettings settings;
      settings.url = config.database_url;
      settings.pool_size = 1;
      settings.roles = std::move(roles);
      auto store = store::postgres::PostgresStore::open(std::move(settings));
      if (!store) throw std::runtime_error(store.error().message);
      auto applied = (*store)->migrate();
      if (!applied) throw std::runtime_error(applied.error().message);
      base::log_json(spdlog::level::info, "migrated",
                     {{"role", config.role}, {"migrations_applied", *applied}});
    }
    spdlog::shutdown();
    return 0;
  } catch (const std::exception& e) {
    base::log_json(spdlog::level::critical, "migration failed", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace tickler::app
