#pragma once
// What a process hands each service it wires in (the service's ports), and the order in which
// the process starts and stops what its services run. A service's wiring function
// (services/<service>/<service>_wiring.hpp) takes Ports and never the process: app/ chooses the
// implementations behind them (SQLite or PostgreSQL, the in-process bus or Dapr's, …) and calls
// the same wiring function in tickler serve and in the service's own role.
#include <boost/asio/io_context.hpp>
#include <functional>
#include <string_view>
#include <vector>

#include "base/offload.hpp"
#include "bus/bus.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "store/store.hpp"

namespace tickler::services {

// Start and stop order, defined once (Redpanda's deferred stop list). Wiring adds hooks as it
// builds a service; app/ runs them:
//   start()          the start hooks, in the order added (a hook throws on a start-up failure);
//                    then app/ starts the server.
//   stop_accepting() after the server stopped accepting and its requests ended (on an I/O
//                    thread): closes what lives on the I/O threads (WebSockets, timers), in
//                    reverse order of adding.
//   stop()           after the I/O threads ended: the background work (threads, relays), in
//                    reverse order of adding; once (later calls do nothing). Stop hooks also run
//                    for what never started (a start-up failure half-way), so each must be safe
//                    without its start.
class Lifecycle {
 public:
  using Hook = std::function<void()>;
  Lifecycle() = default;
  Lifecycle(const Lifecycle&) = delete;
  Lifecycle& operator=(const Lifecycle&) = delete;

  void on_start(Hook hook) { start_.push_back(std::move(hook)); }
  void on_stop_accepting(Hook hook) { stop_accepting_.push_back(std::move(hook)); }
  void on_stop(Hook hook) { stop_.push_back(std::move(hook)); }

  void start();
  void stop_accepting();
  void stop();

 private:
  std::vector<Hook> start_;
  std::vector<Hook> stop_accepting_;
  std::vector<Hook> stop_;
  bool stopped_ = false;
};

// The process's parts a service is wired to. References outlive every service wired with them.
struct Ports {
  boost::asio::io_context& ioc;    // the I/O threads' context (timers on them)
  base::Offload& offload;          // blocking work
  store::Store* store;             // the process's store; null in a process without tables
  bus::Bus& bus;                   // subscriptions
  http::Router& router;            // routes
  http::Metrics& metrics;          // metric sources
  http::Server& server;            // takes over upgrade requests (WebSockets): on_upgrade
  const http::Pipeline& pipeline;  // the headers of answers written outside it: finish
  Lifecycle& lifecycle;
  // Wakes the outbox relay after a commit that appended events; empty where nothing publishes.
  std::function<void()> on_events;

  // The store of a service that has tables; a process without one wiring it is a bug.
  [[nodiscard]] store::Store& require_store(std::string_view service) const;
};

}  // namespace tickler::services
