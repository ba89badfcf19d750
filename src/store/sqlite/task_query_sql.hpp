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
  // A vector: ids for tickler_in, bound as one blob.
  std::vector<std::variant<std::int64_t, std::string, std::vector<std::int64_t>>> params;
};

// Whether a listing of the query walks along a tag when Driver::tag starts it (it has tags and
// lists in created order), rather than reading the tag's rows and sorting them.
[[nodiscard]] bool walks_along_tags(const core::TaskQuery& query);

// How one statement of a listing reads its rows.
struct ListingPlan {
  // What it reads: a walk (sort_index; tag when walks_along_tags) or a set it sorts.
  DrivingSet from = {};
  // The query's search hits, ascending, when they were read (the walk found they were few): a
  // statement that does not start from them tests them on each index entry (tickler_in);
  // without them, tickler_match tests each row it reads.
  const std::vector<std::int64_t>* hits = nullptr;
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

// Which of the query's candidate sets a count counts (a set not counted reads as over the cap).
struct Counted {
  bool text = true;  // the search hits, when the query has words
  bool tags = true;  // each tag's rows
  bool priority = true;
};

// One row: the size of each candidate set of the query that counted names, in SetSizes order
// (the search hits, each tag's rows, the priorities' rows), each counted up to cap + 1 of the
// user's index entries.
[[nodiscard]] BuiltQuery build_set_sizes_query(const core::TaskQuery& query, std::int64_t cap,
                                               const Counted& counted = {});
// The sizes from that row; a set not counted reads as cap + 1.
[[nodiscard]] SetSizes set_sizes_of(const core::TaskQuery& query,
                                    const std::vector<std::int64_t>& row, std::int64_t cap,
                                    const Counted& counted = {});

// The ids of the query's search hits, up to cap + 1 of them, ascending.
[[nodiscard]] BuiltQuery build_search_hits_query(const core::TaskQuery& query, std::int64_t cap);

}  // namespace tickler::store::sqlite
