#pragma once
// Turns a core::TaskQuery into SQL over the tasks table plus its parameters. A listing reads
// the rows store/search_plan.hpp chooses (sqlite/task_listing.hpp runs the plan):
// - a walk, in the listing's order, with every other filter a residual condition and no sort:
//   along its sort key's index (Driver::sort_index; see migrations/sqlite and
//   store/task_sort.hpp), or, in created order, along one tag's entries (Driver::tag), which
//   hold each task's created_at, priority and status (task_tags_by_created, migration 0011), so
//   a tag filter costs that tag's entries only; a run of a walk may end at a bound (its last
//   key, inclusive);
// - or the user's search hits, one tag's rows (in another order than created) or the priority
//   rows, when that set is small, sorted.
// Keyset pagination continues strictly after the previous page's last (key, id) either way.
#include <cstdint>
#include <optional>
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

// Whether a listing of the query walks along a tag when Driver::tag starts it (it has tags and
// lists in created order), rather than reading the tag's rows and sorting them.
[[nodiscard]] bool walks_along_tags(const core::TaskQuery& query);

// How one statement of a listing reads its rows.
struct ListingPlan {
  // What it reads: a walk (sort_index; tag when walks_along_tags) or a set it sorts.
  DrivingSet from = {};
  // The query's search hits were counted within the cap: a statement that does not start from
  // them tests them as a set, built once (else tickler_match tests each row it reads).
  bool few_hits = false;
  // A walk's run ends at this key and id, inclusive.
  std::optional<core::Keyset> through = std::nullopt;
};

// The listing by the plan. It returns up to limit + 1 rows, so the caller knows whether a next
// page exists.
[[nodiscard]] BuiltQuery build_task_query(const core::TaskQuery& query,
                                          const ListingPlan& plan = {});

// The key and id of the rows-th entry of a walk (sort_index, or tag when walks_along_tags) past
// the cursor, read from
// the index alone (the key a text for the title sort, else an integer); no row when the walk has
// fewer entries left.
[[nodiscard]] BuiltQuery build_walk_end_query(const core::TaskQuery& query, const DrivingSet& walk,
                                              std::int64_t rows);

// One row: the size of each candidate set of the query, in SetSizes order (the search hits if
// the query has words, each tag's rows if count_tags, the priorities' rows if it filters by
// priority), each counted up to cap + 1 of the user's index entries.
[[nodiscard]] BuiltQuery build_set_sizes_query(const core::TaskQuery& query, std::int64_t cap,
                                               bool count_tags = true);
// The sizes from that row; a set not counted reads as cap + 1.
[[nodiscard]] SetSizes set_sizes_of(const core::TaskQuery& query,
                                    const std::vector<std::int64_t>& row, std::int64_t cap,
                                    bool count_tags = true);

}  // namespace tickler::store::sqlite
