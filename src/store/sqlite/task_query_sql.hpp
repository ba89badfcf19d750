#pragma once
// Turns a core::TaskQuery into SQL over the tasks table plus its parameters. A listing starts
// from the rows store/search_plan.hpp chooses: its sort key's index (see migrations/sqlite and
// store/task_sort.hpp) with every filter as a residual condition, or the user's search hits,
// tag rows or priority rows when that set is small, sorted. Keyset pagination continues
// strictly after the previous page's last (key, id) either way.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/task_query.hpp"
#include "store/search_plan.hpp"

namespace tickler::store::sqlite {

struct BuiltQuery {
  std::string sql;
  std::vector<std::variant<std::int64_t, std::string>> params;
};

// One row: the size of each candidate set of the query, in SetSizes order (the search hits if
// the query has words, each tag's rows, the priorities' rows if it filters by priority), each
// counted up to k_driving_set_cap + 1 rows of the user's index entries.
[[nodiscard]] BuiltQuery build_set_sizes_query(const core::TaskQuery& query);
[[nodiscard]] SetSizes set_sizes_of(const core::TaskQuery& query,
                                    const std::vector<std::int64_t>& row);

// The listing, started from choose_driving_set(sizes) (no sizes: the sort index). It returns
// up to limit + 1 rows, so the caller knows whether a next page exists.
[[nodiscard]] BuiltQuery build_task_query(const core::TaskQuery& query, const SetSizes& sizes = {});

}  // namespace tickler::store::sqlite
