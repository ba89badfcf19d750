// postgres_roles() and postgres_migrations(): the PostgreSQL migrations compiled into the
// binary, one generated function per folder.
#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>

#include "store/migrations.hpp"

namespace tickler::store {

using EmbeddedFiles = std::vector<std::pair<std::string_view, std::string_view>>;

// Generated from migrations/postgres/<role>/*.sql by cmake/EmbedFiles.cmake (src/CMakeLists.txt).
const EmbeddedFiles& embedded_postgres_api_migrations();
const EmbeddedFiles& embedded_postgres_outbox_migrations();
const EmbeddedFiles& embedded_postgres_consumer_migrations();
const EmbeddedFiles& embedded_postgres_auditor_migrations();
const EmbeddedFiles& embedded_postgres_notifier_migrations();

namespace {

struct Folder {
  std::string_view role;
  const EmbeddedFiles& (*files)();
};

constexpr Folder k_folders[] = {
    {"api", embedded_postgres_api_migrations},
    {"outbox", embedded_postgres_outbox_migrations},
    {"consumer", embedded_postgres_consumer_migrations},
    {"auditor", embedded_postgres_auditor_migrations},
    {"notifier", embedded_postgres_notifier_migrations},
};

}  // namespace

const std::vector<std::string_view>& postgres_roles() {
  static const std::vector<std::string_view> roles = [] {
    std::vector<std::string_view> out;
    for (const auto& f : k_folders) out.push_back(f.role);
    return out;
  }();
  return roles;
}

std::vector<RoleMigration> postgres_migrations() {
  std::vector<RoleMigration> out;
  for (const auto& folder : k_folders) {
    const auto first = out.size();
    for (const auto& [name, sql] : folder.files()) {
      int version = 0;
      const auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), version);
      if (ec != std::errc{} || version <= 0) {
        throw std::logic_error("migration file without a version: " + std::string{folder.role} +
                               "/" + std::string{name});
      }
      out.push_back({folder.role, {version, name, sql}});
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](auto& a, auto& b) { return a.migration.version < b.migration.version; });
  }
  return out;
}

}  // namespace tickler::store
