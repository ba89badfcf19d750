#include "app/run_loop.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>
#include <vector>

#include "app/bootstrap.hpp"
#include "base/log.hpp"

namespace tickler::app {
namespace {

namespace net = boost::asio;

net::awaitable<void> stop_on_signal(net::signal_set& signals, Process& process,
                                    std::chrono::milliseconds grace) {
  auto [ec, signo] = co_await signals.async_wait(net::as_tuple(net::use_awaitable));
  if (ec) co_return;
  base::log_json(spdlog::level::info, "stopping", {{"signal", signo}});
  co_await process.stop_accepting(grace);
}

}  // namespace

int run_until_signalled(const RunSettings& settings, const BuildProcess& build) {
  try {
    init_process(settings.log_level);
    net::io_context ioc{settings.io_threads};
    auto runnable = build(ioc);
    auto& process = runnable->process();
    process.start();
    net::signal_set signals{ioc, SIGINT, SIGTERM};
    net::co_spawn(ioc, stop_on_signal(signals, process, settings.grace), net::detached);
    base::log_json(spdlog::level::info, "listening", runnable->listening());
    runnable->after_listening();
    std::vector<std::thread> threads;
    for (int i = 1; i < settings.io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    process.stop_background();
    base::log_json(spdlog::level::info, "stopped", settings.fields);
    spdlog::shutdown();
    return 0;
  } catch (const std::exception& e) {
    auto fields = settings.fields;
    fields["error"] = e.what();
    base::log_json(spdlog::level::critical, "start-up failed", std::move(fields));
    spdlog::shutdown();
    return 1;
  }
}

}  // namespace tickler::app
