#pragma once
// The entry points of each command of the tickler binary.
#include "app/config.hpp"

namespace tickler::app {

int run_serve(const ServeConfig& config);
int run_migrate(const MigrateConfig& config);

}  // namespace tickler::app
