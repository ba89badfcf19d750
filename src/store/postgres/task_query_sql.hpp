#pragma once
// Turns a core::TaskQuery into one PostgreSQL statement over the tasks table plus its text
// parameters, with the SQLite store's semantics: each sort key has its own index (see
// migrations/postgres/api and store/task_sort.hpp), keyset pagination continues strictly after
// the previous page's last (key, id), filters are residual conditions. Titles sort as SQLite's
// NOCASE does (ASCII letters folded, then bytes), through the generated column title_key.
#include <optional>
#include <string>
#include <vector>

#include "core/task_query.hpp"

namespace tickler::store::postgres {

// SQLite's NOCASE folding in SQL: ASCII upper case to lower case, nothing else.
inline constexpr const char* k_nocase_from = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'";
inline constexpr const char* k_nocase_to = "'abcdefghijklmnopqrstuvwxyz'";

struct BuiltQuery {
  std::string sql;
  std::vector<std::optional<std::string>> params;  // text format, $1 … $n
};

// The statement returns up to limit + 1 rows, so the caller knows whether a next page exists.
[[nodiscard]] BuiltQuery build_task_query(const core::TaskQuery& query);

}  // namespace tickler::store::postgres
