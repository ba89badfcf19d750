#pragma once
// The auditor wired into a process: GET /api/tasks/{id}/history and its batch subscription to
// task-events (consumer "auditor"). tickler serve and tickler auditor call the same function.
#include <memory>

#include "services/auditor/audit_service.hpp"
#include "services/ports.hpp"

namespace tickler::services::auditor {

[[nodiscard]] std::unique_ptr<AuditService> wire_auditor(const Ports& ports);

}  // namespace tickler::services::auditor
