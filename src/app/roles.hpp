#pragma once
// The entry points of each command of the tickler binary.
#include "app/config.hpp"

namespace tickler::app {

int run_serve(const ServeConfig& config);
int run_migrate(const MigrateConfig& config);
// tickler api | notifier | recurrer | auditor | realtime.
int run_role(const RoleConfig& config);
int run_dlq_list(const ToolConfig& config);
int run_dlq_redrive(const ToolConfig& config);
// tickler dlq deliveries list | redrive: dead deliveries of reminders.
int run_dlq_deliveries_list(const ToolConfig& config);
int run_dlq_deliveries_redrive(const ToolConfig& config);
int run_audit_verify(const ToolConfig& config);
// tickler user list | invite | disable | enable | delete | reset-password.
int run_user_command(const std::string& command, const ToolConfig& config);

}  // namespace tickler::app
