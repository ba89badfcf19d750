#pragma once
// The whole event-driven system in one process (tickler serve): every service of the design
// wired to the SQLite store, the in-process bus and the in-process timer queue. Construct, then
// start(); stop() tears down in reverse order. The router holds every HTTP route it serves.
#include <boost/asio/io_context.hpp>
#include <memory>

#include "app/config.hpp"
#include "bus/inproc/inproc_bus.hpp"
#include "bus/inproc/timer_queue.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "outbox/relay.hpp"
#include "services/api/api_service.hpp"
#include "services/auditor/audit_service.hpp"
#include "services/notifier/notifier_service.hpp"
#include "services/realtime/realtime_service.hpp"
#include "services/recurrer/recurrer_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tickler::app {

class EmbeddedSystem {
 public:
  // Opens (and migrates) the store; starts nothing.
  EmbeddedSystem(const ServeConfig& config, boost::asio::io_context& ioc);
  EmbeddedSystem(const EmbeddedSystem&) = delete;
  EmbeddedSystem& operator=(const EmbeddedSystem&) = delete;
  ~EmbeddedSystem();

  // Timer queue, notifier (schedule + catch-up sweep), relay, then the listener.
  void start();
  // Stops accepting, lets requests finish (bounded), closes WebSockets; on the I/O threads.
  boost::asio::awaitable<void> stop_accepting(std::chrono::milliseconds grace);
  // After the I/O threads ended: relay (publishes what is left), notifier, timers, pool.
  void stop_background();

  [[nodiscard]] const http::Router& router() const { return router_; }
  [[nodiscard]] std::uint16_t port() const { return server_.port(); }
  // The web UI served on every non-API path (not built: a message saying so).
  [[nodiscard]] const http::StaticFiles& web() const { return web_; }

 private:
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  base::Offload offload_;
  http::Metrics metrics_;
  http::Router router_;
  bus::inproc::InprocBus bus_;
  outbox::Relay relay_;
  services::api::ApiService api_;
  services::auditor::AuditService auditor_;
  services::recurrer::RecurrerService recurrer_;
  services::notifier::NotifierService notifier_;
  bus::inproc::TimerQueue timers_;
  services::realtime::RealtimeService realtime_;
  http::StaticFiles web_;
  http::Pipeline pipeline_;
  http::Server server_;
  bool background_stopped_ = false;
};

}  // namespace tickler::app
