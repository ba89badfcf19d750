#include "services/auditor/auditor_wiring.hpp"

#include "wire/topics.hpp"

namespace tickler::services::auditor {

std::unique_ptr<AuditService> wire_auditor(const Ports& ports) {
  auto auditor = std::make_unique<AuditService>(ports.require_store("the auditor"), ports.offload);
  auditor->register_routes(ports.router);
  ports.bus.subscribe_batch(std::string{wire::topic::task_events}, std::string{k_consumer},
                            std::bind_front(&AuditService::on_task_events, auditor.get()));
  return auditor;
}

}  // namespace tickler::services::auditor
