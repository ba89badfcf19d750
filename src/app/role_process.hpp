#pragma once
// One service of the distributed mode in its own process (tickler api | notifier | recurrer |
// auditor | realtime | frontend | assistant): the service wired by the same function as in tickler
// serve, to PostgreSQL (the role's own tables), Dapr pub/sub over Kafka, the Dapr Jobs API and Dapr
// secrets. Besides the role's public routes it serves /healthz, /readyz, /metrics and the
// sidecar's routes (/dapr/subscribe, /events/…, /job/…, the cron binding, /internal/…), which
// answer only calls carrying the app token. The api (and the frontend) also serve the routes of
// other services on their origin, passed on by service invocation.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>

#include "app/config.hpp"
#include "app/run_loop.hpp"
#include "auth/jwt.hpp"
#include "bus/dapr/dapr_bus.hpp"
#include "bus/dapr/sidecar_client.hpp"
#include "http/upgrade_proxy.hpp"
#include "services/api/api_service.hpp"
#include "services/assistant/assistant_service.hpp"
#include "services/auditor/audit_service.hpp"
#include "services/event_retention.hpp"
#include "services/notifier/notifier_wiring.hpp"
#include "services/realtime/realtime_service.hpp"
#include "services/recurrer/recurrer_service.hpp"
#include "store/store.hpp"

namespace tickler::app {

// The roles of the distributed mode and their default ports.
[[nodiscard]] bool is_role(std::string_view role);
[[nodiscard]] std::uint16_t default_port(std::string_view role);
// The PostgreSQL migration folders a role owns (empty for roles without tables).
[[nodiscard]] std::vector<std::string> store_roles(std::string_view role);

class RoleProcess final : public Runnable {
 public:
  // Reads secrets through the sidecar (waiting for it), opens and migrates the role's store.
  RoleProcess(const RoleConfig& config, boost::asio::io_context& ioc);
  RoleProcess(const RoleProcess&) = delete;
  RoleProcess& operator=(const RoleProcess&) = delete;
  ~RoleProcess() override;

  Process& process() override { return process_; }
  [[nodiscard]] boost::json::object listening() const override;

 private:
  void wire_api(const services::Ports& ports);
  void wire_notifier(const services::Ports& ports);
  void wire_realtime(const services::Ports& ports);
  void wire_assistant(const services::Ports& ports);
  void wire_frontend(const services::Ports& ports);
  // A forward of chat routes to app_id on a client with a long timeout and a pool of its own.
  [[nodiscard]] http::Handler chat_forward(const std::string& app_id);
  void wire_ws_proxy(const services::Ports& ports);
  core::Status ready();

  RoleConfig config_;
  services::EventRetentionSettings retention_settings_;  // checked before anything starts
  bus::dapr::DaprClient dapr_;
  std::unique_ptr<store::Store> store_;
  std::string jwt_secret_;
  auth::JwtIssuer jwt_;
  Process process_;
  bus::dapr::DaprBus bus_;
  std::optional<outbox::Relay> relay_;  // api, notifier
  std::unique_ptr<services::api::ApiService> api_;
  std::unique_ptr<services::auditor::AuditService> auditor_;
  std::unique_ptr<services::recurrer::RecurrerService> recurrer_;
  std::unique_ptr<services::notifier::WiredNotifier> notifier_;
  std::unique_ptr<services::realtime::RealtimeService> realtime_;
  std::unique_ptr<services::assistant::AssistantService> assistant_;
  // api, frontend: the chat routes' own client and pool. A turn calls back into the api (token
  // check, tools), so waiting for it on the api's pool could hold every thread its answer needs.
  std::unique_ptr<bus::dapr::DaprClient> chat_dapr_;
  std::unique_ptr<base::Offload> chat_offload_;
  std::optional<http::UpgradeProxy> ws_proxy_;  // api, frontend: /api/ws to realtime replicas
  std::unique_ptr<services::EventRetention> retention_;  // api, notifier, auditor
};

}  // namespace tickler::app
