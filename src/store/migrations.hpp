#pragma once
// The SQL migrations compiled into the binary (src/store/migrations/<engine>/…/NNNN_name.sql),
// in version order. The version is the file name's leading number.
#include <string_view>
#include <utility>
#include <vector>

namespace tickler::store {

struct Migration {
  int version = 0;
  std::string_view name;
  std::string_view sql;
};

[[nodiscard]] std::vector<Migration> sqlite_migrations();

// PostgreSQL's migrations live in one folder per owning role
// (src/store/migrations/postgres/<role>/NNNN_name.sql), versioned per folder, so each service
// applies (and owns) only its own tables.
struct RoleMigration {
  std::string_view role;
  Migration migration;
};

// The folders: api, outbox, consumer, auditor, notifier.
[[nodiscard]] const std::vector<std::string_view>& postgres_roles();
// Every folder's migrations, folder by folder in postgres_roles() order, each in version order.
[[nodiscard]] std::vector<RoleMigration> postgres_migrations();

}  // namespace tickler::store
