#include "app/process.hpp"

#include <stdexcept>

namespace tickler::app {

Process::Process(ProcessSettings settings, boost::asio::io_context& ioc)
    : ioc_(ioc),
      offload_(settings.threads),
      pipeline_(std::move(settings.pipeline), router_, metrics_,
                [this](std::string_view token) { return authenticate_(token); }),
      server_(ioc, std::move(settings.server), pipeline_) {}

void Process::run_relay(outbox::Relay& relay) {
  relay_ = &relay;
  metrics_.add_source([&relay](std::string& out) { relay.write_metrics(out); });
}

services::Ports Process::ports(store::Store* store, bus::Bus& bus) {
  std::function<void()> on_events;
  if (relay_) on_events = [relay = relay_] { relay->wake(); };
  return {ioc_,     offload_, store,     bus,        router_,
          metrics_, server_,  pipeline_, lifecycle_, std::move(on_events)};
}

const http::StaticFiles& Process::serve_web(const std::filesystem::path& root) {
  auto& web = web_.emplace(http::StaticFilesSettings{root}, offload_);
  pipeline_.set_fallback(std::bind_front(&http::StaticFiles::handle, &web));
  return web;
}

void Process::start() {
  lifecycle_.start();
  if (relay_) relay_->start();
  if (auto st = server_.start(); !st) throw std::runtime_error(st.error().message);
}

boost::asio::awaitable<void> Process::stop_accepting(std::chrono::milliseconds grace) {
  co_await server_.stop(grace);
  lifecycle_.stop_accepting();
}

void Process::stop_background() {
  if (background_stopped_) return;
  background_stopped_ = true;
  if (relay_) relay_->stop();
  lifecycle_.stop();
  offload_.join();
}

}  // namespace tickler::app
