#pragma once
// A task listing on SQLite: store/search_plan.hpp's rule, in statements of one read
// transaction (task_query_sql.hpp builds them).
// 1. A query without candidate sets (words, tags, priorities) walks its sort index: one
//    statement, which stops when the page is full.
// 2. Otherwise the walk goes first — in created order along the query's first tag if it has
//    tags (that tag's entries, task_tags_by_created), else along the sort index: the key of the
//    run's last entry (walk_rows entries past the cursor; a quarter of that when the walk tests
//    words, due dates or a tag by an index probe, which cost a row each) is read from the index,
//    and a run through that key, every filter tested, answers when it fills the page or no such
//    entry exists (the run reached the user's last entry). Before it, a search whose hits fit in
//    the page (limit + 1, counted in the search index) starts from them.
// 3. Else the run's hits tell how many rows the walk still needs (driving_set_cap). A search
//    with no more hits than that is read, its ids, and the walk tests them on each index entry
//    from then on (tickler_in) rather than each row by tickler_match. The other candidate
//    sets — the priorities' rows, the tags — are counted up to the size whose reading and
//    sorting costs what the rest of the walk would (its cost per entry from what it tests), and
//    the smallest set within that is read and sorted (in created order a tag is walked along
//    instead, the smallest of them); else the walk goes on past the run's last key for what the
//    page lacks.
// Every plan gives the same page and cursor (task_listing.test.cpp compares them).
#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "core/task_query.hpp"
#include "store/search_plan.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/task_query_sql.hpp"

namespace tickler::store::sqlite {

// The plan's sizes (tests make them small, to reach every plan with few tasks).
struct ListingLimits {
  std::int64_t walk_rows = k_walk_rows;
  // Tests: this cap for the counts, not the one the first run sizes.
  std::optional<std::int64_t> set_cap = std::nullopt;
  // Tests: this plan and no other (no run, no counts).
  std::optional<DrivingSet> plan = std::nullopt;
  // Tests: every statement run is appended here.
  std::vector<BuiltQuery>* trace = nullptr;
};

// What reading one row of a set and sorting it costs, in entries of a walk (bench/RESULTS.md):
// a set's row is read by id, a random row read, then sorted (about 0.3 µs at 10k tasks, where
// most of a user's pages are at hand, 1.5–4.5 µs at 1M); a walk that tests its filters on the
// index entries alone (priority, status, the tag it walks along, a search's hits read as ids)
// costs about 0.05–0.1 µs an entry, one that reads rows or probes another index for them
// (tickler_match, due dates, further tags) about 0.1–1 µs.
inline constexpr std::int64_t k_set_row_in_index_entries = 50;
inline constexpr std::int64_t k_set_row_in_rows = 8;

// A walk that reads rows runs walk_rows / this many first: its run costs about what a run of
// index entries does, and still fills the page of a filter that matches a fifth of the tasks.
inline constexpr std::int64_t k_row_run_divisor = 4;

// The page of the query, by the plan above, on conn (inside the caller's transaction).
[[nodiscard]] core::Result<core::TaskPage> list_tasks(Connection& conn,
                                                      const core::TaskQuery& query,
                                                      const ListingLimits& limits = {});

}  // namespace tickler::store::sqlite
