#pragma once
// The parts every serving process has — the blocking-work pool, metrics, the router, the
// lifecycle its services are wired into, the request pipeline, the server, and where it publishes
// an outbox, the relay — with their start and stop order, defined once:
//   start()            the services' start hooks (in order of wiring), the relay, the listener;
//   stop_accepting()   the server stops accepting and lets requests finish (bounded by grace),
//                      then the services' stop-accepting hooks (reverse order);
//   stop_background()  after the I/O threads ended: the relay (publishes what is left), the
//                      services' stop hooks (reverse order), the pool; once.
// EmbeddedSystem and RoleProcess each own one, choose the store and bus, and wire services into
// it through ports().
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <optional>

#include "http/server.hpp"
#include "http/static_files.hpp"
#include "outbox/relay.hpp"
#include "services/ports.hpp"

namespace tickler::app {

struct ProcessSettings {
  int threads = 8;  // the blocking-work pool
  http::PipelineSettings pipeline;
  http::ServerSettings server;
};

class Process {
 public:
  Process(ProcessSettings settings, boost::asio::io_context& ioc);
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Runs the outbox relay of a process whose services append events (started after them, stopped
  // before them) and adds its metrics; call before ports() so that their commits wake it. The
  // relay outlives the process's start and stop.
  void run_relay(outbox::Relay& relay);
  // What services are wired with; store may be null (a process without tables).
  [[nodiscard]] services::Ports ports(store::Store* store, bus::Bus& bus);
  // How the pipeline verifies bearer tokens; set before start().
  void set_authenticator(http::Authenticator authenticate) {
    authenticate_ = std::move(authenticate);
  }
  // What a 401 or 403 of the pipeline's credential check adds for the client (RFC 9728).
  void set_challenge(http::Challenge challenge) { pipeline_.set_challenge(std::move(challenge)); }
  // Who the audit trail names for an authenticated request, where a trusted caller says
  // (http::ActorOverride).
  void set_actor_override(http::ActorOverride actor) {
    pipeline_.set_actor_override(std::move(actor));
  }
  // Serves the web UI from `root` on every path no route knows (GET/HEAD outside /api/).
  const http::StaticFiles& serve_web(const std::filesystem::path& root);

  void start();
  boost::asio::awaitable<void> stop_accepting(std::chrono::milliseconds grace);
  void stop_background();

  [[nodiscard]] std::uint16_t port() const { return server_.port(); }
  [[nodiscard]] const http::Router& router() const { return router_; }
  [[nodiscard]] base::Offload& offload() { return offload_; }
  [[nodiscard]] http::Router& router() { return router_; }
  [[nodiscard]] http::Metrics& metrics() { return metrics_; }

 private:
  boost::asio::io_context& ioc_;
  base::Offload offload_;
  http::Metrics metrics_;
  http::Router router_;
  services::Lifecycle lifecycle_;
  http::Authenticator authenticate_;
  http::Pipeline pipeline_;
  http::Server server_;
  outbox::Relay* relay_ = nullptr;
  std::optional<http::StaticFiles> web_;
  bool background_stopped_ = false;
};

}  // namespace tickler::app
