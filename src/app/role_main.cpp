// tickler api | notifier | recurrer | auditor | realtime: one role on the I/O
// threads until SIGTERM/SIGINT, then stopped in reverse order of start.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "app/bootstrap.hpp"
#include "app/role_process.hpp"
#include "app/roles.hpp"
#include "base/log.hpp"

namespace tickler::app {
namespace {

namespace net = boost::asio;

net::awaitable<void> stop_role_on_signal(net::signal_set& signals, RoleProcess& process,
                                         std::chrono::milliseconds grace) {
  auto [ec, signo] = co_await signals.async_wait(net::as_tuple(net::use_awaitable));
  if (ec) co_return;
  base::log_json(spdlog::level::info, "stopping", {{"signal", signo}});
  co_await process.stop_accepting(grace);
}

}  // namespace

int run_role(const RoleConfig& config) {
  try {
    init_process(config.log_level);
    if (!is_role(config.role)) throw std::runtime_error("unknown role " + config.role);
    net::io_context ioc{config.io_threads};
    RoleProcess process{config, ioc};
    process.start();
    net::signal_set signals{ioc, SIGINT, SIGTERM};
    net::co_spawn(
        ioc,
        stop_role_on_signal(signals, process, std::chrono::seconds{config.shutdown_grace_seconds}),
        net::detached);
    base::log_json(spdlog::level::info, "listening",
                   {{"role", config.role}, {"host", config.host}, {"port", process.port()}});
    std::vector<std::thread> threads;
    for (int i = 1; i < config.io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    process.stop_background();
    base::log_json(spdlog::level::info, "stopped", {{"role", config.role}});
    spdlog::shutdown();
    return 0;
  } catch (const std::exception& e) {
    base::log_json(spdlog::level::critical, "start-up failed",
                   {{"role", config.role}, {"error", e.what()}});
    spdlog::shutdown();
    return 1;
  }
}

}  // namespace tickler::app
