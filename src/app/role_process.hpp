#pragma once
// One service of the distributed mode in its own process (tickler api | notifier | recurrer |
// auditor | realtime): the same service classes as tickler serve, wired to PostgreSQL (the
// role's own tables), Dapr pub/sub over Kafka, the Dapr Jobs API and Dapr secrets. Besides the
// role's public routes it serves /healthz, /readyz, /metrics and the sidecar's routes
// (/dapr/subscribe, /events/…, /job/…, the cron binding, /internal/…), which answer only calls
// carrying the app token.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>

#include "app/config.hpp"
#include "auth/jwt.hpp"
#include "bus/dapr/dapr_bus.hpp"
#include "bus/dapr/jobs_scheduler.hpp"
#include "bus/dapr/sidecar_client.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "http/upgrade_proxy.hpp"
#include "outbox/relay.hpp"
#include "services/api/api_service.hpp"
#include "services/auditor/audit_service.hpp"
#include "services/notifier/notifier_service.hpp"
#include "services/realtime/realtime_service.hpp"
#include "services/recurrer/recurrer_service.hpp"
#include "store/store.hpp"

namespace tickler::app {

// The roles of the distributed mode and their default ports.
[[nodiscard]] bool is_role(std::string_view role);
[[nodiscard]] std::uint16_t default_port(std::string_view role);
// The PostgreSQL migration folders a role owns (empty for roles without tables).
[[nodiscard]] std::vector<std::string> store_roles(std::string_view role);

class RoleProcess {
 public:
  // Reads secrets through the sidecar (waiting for it), opens and migrates the role's store.
  RoleProcess(const RoleConfig& config, boost::asio::io_context& ioc);
  RoleProcess(const RoleProcess&) = delete;
  RoleProcess& operator=(const RoleProcess&) = delete;
  ~RoleProcess();

  void start();
  boost::asio::awaitable<void> stop_accepting(std::chrono::milliseconds grace);
  void stop_background();
  [[nodiscard]] std::uint16_t port() const { return server_.port(); }

 private:
  using Res = http::net::awaitable<http::Response>;
  using Ctx = http::RequestContext;
  http::net::awaitable<core::Result<core::UserId>> verify_token(std::string_view token);
  http::net::awaitable<core::Result<core::UserId>> verify_token_with_api(std::string_view token);
  Res healthz(Ctx& ctx);
  Res readyz(Ctx& ctx);
  Res metrics(Ctx& ctx);
  Res create_occurrence(Ctx& ctx);
  Res sweep(Ctx& ctx);
  Res forward(const std::string& app_id, Ctx& ctx);
  core::Result<bus::dapr::SidecarResponse> invoke_raw(const std::string& method,
                                                      const std::string& target,
                                                      const std::string& body,
                                                      const std::string& content_type,
                                                      const bus::dapr::Headers& headers);
  core::Result<core::Task> occurrence_via_api(const core::OccurrenceRequest& request);
  core::Result<core::Task> occurrence_here(const core::OccurrenceRequest& request);
  core::Status fire_jobs(const std::vector<std::string>& names);
  core::Result<int> run_sweep();
  core::Status ready();
  void wire_api(boost::asio::io_context& ioc);
  void wire_notifier();
  void wire_frontend();
  void wire_ws_proxy();
  void wire_common_routes();

  RoleConfig config_;
  bus::dapr::DaprClient dapr_;
  std::unique_ptr<store::Store> store_;
  auth::JwtIssuer jwt_;
  base::Offload offload_;
  http::Metrics metrics_;
  http::Router router_;
  bus::dapr::DaprBus bus_;
  std::optional<outbox::Relay> relay_;
  std::optional<services::api::ApiService> api_;
  std::optional<services::auditor::AuditService> auditor_;
  std::optional<services::recurrer::RecurrerService> recurrer_;
  std::optional<services::notifier::NotifierService> notifier_;
  std::optional<bus::dapr::JobsScheduler> jobs_;
  std::optional<services::realtime::RealtimeService> realtime_;
  std::optional<http::UpgradeProxy> ws_proxy_;  // api, frontend: /api/ws to realtime replicas
  std::optional<http::StaticFiles> web_;        // frontend (api with --web-root): the web UI
  http::Pipeline pipeline_;
  http::Server server_;
  bool background_stopped_ = false;
};

}  // namespace tickler::app
