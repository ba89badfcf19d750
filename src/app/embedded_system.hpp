#pragma once
// The whole event-driven system in one process (tickler serve): every service wired, by the same
// wiring functions as the roles, to the SQLite store, the in-process bus and the in-process timer
// queue. Construct, then start through process(); the router holds every HTTP route it serves.
#include <boost/asio/io_context.hpp>
#include <memory>

#include "app/config.hpp"
#include "app/run_loop.hpp"
#include "bus/inproc/inproc_bus.hpp"
#include "services/api/api_service.hpp"
#include "services/assistant/assistant_service.hpp"
#include "services/auditor/audit_service.hpp"
#include "services/event_retention.hpp"
#include "services/notifier/notifier_wiring.hpp"
#include "services/realtime/realtime_service.hpp"
#include "services/recurrer/recurrer_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tickler::app {

class EmbeddedSystem final : public Runnable {
 public:
  // Opens (and migrates) the store; starts nothing.
  EmbeddedSystem(const ServeConfig& config, boost::asio::io_context& ioc);
  EmbeddedSystem(const EmbeddedSystem&) = delete;
  EmbeddedSystem& operator=(const EmbeddedSystem&) = delete;
  ~EmbeddedSystem() override;

  Process& process() override { return process_; }
  [[nodiscard]] boost::json::object listening() const override;
  // Whether the web UI is served, and from where.
  void after_listening() const override;

  [[nodiscard]] const http::Router& router() const { return process_.router(); }

 private:
  ServeConfig config_;
  services::EventRetentionSettings retention_settings_;  // checked before the store opens
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  Process process_;
  bus::inproc::InprocBus bus_;
  outbox::Relay relay_;
  const http::StaticFiles* web_ = nullptr;
  std::unique_ptr<services::api::ApiService> api_;
  std::unique_ptr<services::recurrer::RecurrerService> recurrer_;
  std::unique_ptr<services::auditor::AuditService> auditor_;
  std::unique_ptr<services::notifier::WiredNotifier> notifier_;
  std::unique_ptr<services::realtime::RealtimeService> realtime_;
  std::unique_ptr<services::EventRetention> retention_;
  std::unique_ptr<services::assistant::AssistantService> assistant_;
};

}  // namespace tickler::app
