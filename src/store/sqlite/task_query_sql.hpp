#pragma once
// Turns a core::TaskQuery into one SQL statement over the tasks table plus its parameters. Each
// sort key walks its own index (see migrations/sqlite and store/task_sort.hpp), keyset
// pagination continues strictly after the previous page's last (key, id), and filters are
// residual conditions on that walk.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/task_query.hpp"

namespace tickler::store::sqlite {

struct BuiltQuery {
  std::string sql;
  std::vector<std::variant<std::int64_t, std::string>> params;
};

// The statement returns up to limit + 1 rows, so the caller knows whether a next page exists.
[[nodiscard]] BuiltQuery build_task_query(const core::TaskQuery& query);

// An FTS5 MATCH expression in which every word must match as a prefix; words are quoted, so
// FTS5 query syntax in user input is taken literally.
[[nodiscard]] std::string fts_match_expression(const std::vector<std::string>& words);

}  // namespace tickler::store::sqlite
