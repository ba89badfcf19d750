// tickler user list | invite | disable | enable | delete | reset-password: the operator's account
// commands, on the embedded SQLite file (--data) or the api's PostgreSQL tables
// (--database-url). They run the api's own account logic (AuthService), so a change writes the
// same revocation and deletion events a request would; the running server's relay publishes them.
// Plain text for people; exit 1 when the command failed, 2 when it was given wrong.
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "app/bootstrap.hpp"
#include "app/role_process.hpp"
#include "app/roles.hpp"
#include "auth/jwt.hpp"
#include "services/api/auth_service.hpp"
#include "store/postgres/pg_store.hpp"

namespace tickler::app {
namespace {

std::unique_ptr<store::Store> open_user_store(const ToolConfig& config) {
  if (!config.database_url.empty()) {
    auto store = store::postgres::PostgresStore::open({config.database_url, 1, store_roles("api")});
    if (!store) throw std::runtime_error(store.error().message);
    if (auto applied = (*store)->migrate(); !applied) {
      throw std::runtime_error(applied.error().message);
    }
    return std::move(*store);
  }
  if (!std::filesystem::exists(std::filesystem::path{config.data_dir} / "tickler.db")) {
    throw std::invalid_argument("no Tickler database in " + config.data_dir);
  }
  return open_store(config.data_dir, 1);
}

std::string generated_password() {
  unsigned char raw[15];
  randombytes_buf(raw, sizeof raw);
  return auth::base64url_encode(std::string_view{reinterpret_cast<const char*>(raw), sizeof raw});
}

void print_user(const core::User& u) {
  std::cout << u.id << "  " << u.email << "  " << (u.name.empty() ? "-" : u.name) << "  "
            << core::format_rfc3339(u.created_at) << "  " << (u.disabled ? "disabled" : "active")
            << "\n";
}

int run(const std::string& command, const ToolConfig& config) {
  auto store = open_user_store(config);
  services::api::LoginLimiter limiter;
  // Issues no tokens that anyone checks: the secret only has to be long enough.
  services::api::AuthService accounts{*store, auth::JwtIssuer{{std::string(32, '-')}}, limiter};
  const auto fail = [&](const core::Error& e) {
    std::cerr << "user " << command << ": " << e.message << "\n";
    return e.code == core::Errc::not_found || e.code == core::Errc::validation_failed ? 2 : 1;
  };
  if (command == "list") {
    auto users = accounts.list_users();
    if (!users) return fail(users.error());
    std::cout << users->size() << " user(s)\n";
    for (const auto& u : *users) print_user(u);
    return 0;
  }
  if (command == "invite") {
    auto code = accounts.create_invite(std::chrono::hours{24} * config.expires_in_days);
    if (!code) return fail(code.error());
    std::cout << *code << "\n";
    std::cerr << "one sign-up with this code (invite_code) within " << config.expires_in_days
              << " day(s); it is not shown again\n";
    return 0;
  }
  if (command == "disable" || command == "enable") {
    auto u = accounts.set_disabled(config.who, command == "disable");
    if (!u) return fail(u.error());
    print_user(*u);
    return 0;
  }
  if (command == "delete") {
    auto u = accounts.delete_user(config.who);
    if (!u) return fail(u.error());
    std::cout << "deleted " << u->id << "  " << u->email << "\n";
    return 0;
  }
  if (command == "reset-password") {
    const bool generate = config.password.empty();
    const auto password = generate ? generated_password() : config.password;
    auto u = accounts.reset_password(config.who, password);
    if (!u) return fail(u.error());
    print_user(*u);
    if (generate) std::cout << "new password: " << password << "\n";
    return 0;
  }
  std::cerr << "user: unknown command " << command << "\n";
  return 2;
}

}  // namespace

int run_user_command(const std::string& command, const ToolConfig& config) {
  init_process("warn");
  try {
    return run(command, config);
  } catch (const std::invalid_argument& e) {
    std::cerr << "user " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "user " << command << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace tickler::app
