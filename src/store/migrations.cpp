#include "store/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace tickler::store {

// Generated from the .sql files by cmake/EmbedFiles.cmake.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_sqlite_migrations();

std::vector<Migration> sqlite_migrations() {
  std::vector<Migration> out;
  for (const auto& [name, sql] : embedded_sqlite_migrations()) {
    int version = 0;
    const auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), version);
    if (ec != std::errc{} || version <= 0) {
      throw std::logic_error("migration file without a version: " + std::string{name});
    }
    out.push_back({version, name, sql});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  return out;
}

}  // namespace tickler::store
