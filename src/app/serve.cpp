// tickler serve and tickler migrate (SQLite, or a role's PostgreSQL tables). serve runs the
// EmbeddedSystem in the run loop every serving command shares (run_loop.hpp).
#include <spdlog/spdlog.h>

#include "app/bootstrap.hpp"
#include "app/embedded_system.hpp"
#include "app/role_process.hpp"
#include "app/roles.hpp"
#include "app/run_loop.hpp"
#include "base/log.hpp"
#include "store/postgres/pg_store.hpp"

namespace tickler::app {

int run_serve(const ServeConfig& config) {
  const RunSettings settings{
      config.log_level, config.io_threads, std::chrono::seconds{config.shutdown_grace_seconds}, {}};
  return run_until_signalled(settings, [&config](boost::asio::io_context& ioc) {
    return std::make_unique<EmbeddedSystem>(config, ioc);
  });
}

int run_migrate(const MigrateConfig& config) {
  try {
    init_process("info");
    if (config.role.empty()) {
      auto store = open_store(config.data_dir, 1);
    } else {
      if (config.database_url.empty()) throw std::runtime_error("--database-url is required");
      std::vector<std::string> roles;
      if (config.role != "all") {
        if (!is_role(config.role)) throw std::runtime_error("unknown role " + config.role);
        roles = store_roles(config.role);
        if (roles.empty()) throw std::runtime_error(config.role + " has no tables");
      }
      store::postgres::PostgresSettings settings;
      settings.url = config.database_url;
      settings.pool_size = 1;
      settings.roles = std::move(roles);
      auto store = store::postgres::PostgresStore::open(std::move(settings));
      if (!store) throw std::runtime_error(store.error().message);
      auto applied = (*store)->migrate();
      if (!applied) throw std::runtime_error(applied.error().message);
      base::log_json(spdlog::level::info, "migrated",
                     {{"role", config.role}, {"migrations_applied", *applied}});
    }
    spdlog::shutdown();
    return 0;
  } catch (const std::exception& e) {
    base::log_json(spdlog::level::critical, "migration failed", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace tickler::app
