#pragma once
// The SQL migrations compiled into the binary (src/store/migrations/<engine>/NNNN_name.sql),
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

}  // namespace tickler::store
