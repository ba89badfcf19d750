// tickler api | notifier | recurrer | auditor | realtime | frontend | assistant: one role in the
// run loop every serving command shares (run_loop.hpp).
#include "app/role_process.hpp"
#include "app/roles.hpp"
#include "app/run_loop.hpp"

namespace tickler::app {

int run_role(const RoleConfig& config) {
  const RunSettings settings{config.log_level,
                             config.io_threads,
                             std::chrono::seconds{config.shutdown_grace_seconds},
                             {{"role", config.role}}};
  return run_until_signalled(settings, [&config](boost::asio::io_context& ioc) {
    if (!is_role(config.role)) throw std::runtime_error("unknown role " + config.role);
    return std::make_unique<RoleProcess>(config, ioc);
  });
}

}  // namespace tickler::app
