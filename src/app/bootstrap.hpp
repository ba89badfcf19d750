#pragma once
// Start-up steps every role shares: logging, libsodium, the data directory, the store and the JWT
// secret. Failures here are start-up failures: they are reported and the process exits non-zero.
#include <memory>
#include <string>

#include "store/sqlite/sqlite_store.hpp"

namespace tickler::app {

void init_process(const std::string& log_level);
// Creates the data directory, opens <data>/tickler.db and applies pending migrations.
std::unique_ptr<store::sqlite::SqliteStore> open_store(const std::string& data_dir, int readers);
// TICKLER_JWT_SECRET, else <data>/jwt.secret, generated once (0600).
std::string jwt_secret(const std::string& data_dir);

}  // namespace tickler::app
