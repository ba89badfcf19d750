#pragma once
// A task listing on PostgreSQL: store/search_plan.hpp's rule, in statements of one snapshot.
// A GIN index returns a whole posting list, however few of its rows are wanted, so counting a
// common word's set costs as much as the set is large; the store therefore walks first and
// counts only when the walk did not pay off:
// 1. the walk: runs of at most walk_rows rows of the user's sort index past the cursor
//    (build_task_walk), until the page is full or the user's last task is reached;
// 2. with candidate sets (words, tags, priorities), when the first run did neither: the counts
//    of the sets, each up to a cap + 1 from the user's index entries, and choose_driving_set.
//    The cap is what the rest of the walk would cost, from the first run's hits
//    (driving_set_cap, a set's row costing k_set_row_cost rows of the walk), and at most
//    k_driving_set_cap (a first run with no hit says little: recent tasks unlike the rest): a
//    search whose first run nearly filled the page walks on, a rare one reads its set.
//    A set within the cap is read and sorted (the listing from the cursor); else the walk goes
//    on from the first run's last row. With one candidate set other than a search's, the count
//    and the read are one statement (build_capped_set_query): the set is read once; a search's
//    set is counted first, without its rows, so one over the cap costs its postings only. A
//    search's or a tag's set the planner's statistics put over uncounted_over rows and over
//    k_estimate_slack × the cap is not counted at all: its GIN scan would read the whole
//    posting list, however small the cap, to learn that it is over it (build_set_estimate; the
//    statistics keep each per-user key's frequency, so the estimate is of the user's own set).
//    A search's estimate is asked only when the statistics keep enough common elements for
//    the planner to estimate a prefix (build_search_statistics); else its set is counted.
// Every plan gives the same page and cursor (task_listing.test.cpp compares them).
#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "core/task_query.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/task_query_sql.hpp"
#include "store/search_plan.hpp"

namespace tickler::store::postgres {

// A GIN set is counted unless the planner estimates it over k_estimate_slack times the cap
// (estimates of a key's frequency are rough, and off by 2× for several words) and over
// k_uncounted_over rows, where counting it reads enough postings to matter (about 1 µs each).
inline constexpr std::int64_t k_estimate_slack = 4;
inline constexpr std::int64_t k_uncounted_over = k_estimate_slack * k_driving_set_cap;

// Reading one row of a set in rows of a walk: a set is read whole, each row from the heap (a
// random page), then materialised and sorted — about 8 µs a row at 1M tasks, where a walk's
// row (the next index entry, its heap row, the filters' test) takes about 1 µs.
inline constexpr std::int64_t k_set_row_cost = 8;

// The plan's sizes (tests make them small, to reach every plan with few tasks).
struct ListingLimits {
  // Rows one run of a walk reads (search_plan.hpp); few beside a large user's rows, so that the
  // planner walks the sort index (given more, it reads and sorts a small table instead).
  std::int64_t walk_rows = k_walk_rows;
  // The cap of a count; nullopt: sized by the first run's hits (driving_set_cap).
  std::optional<std::int64_t> set_cap = std::nullopt;
  // A search's or tag's set estimated over this many rows and over k_estimate_slack × the cap
  // is not counted; 0: every set is.
  std::int64_t uncounted_over = k_uncounted_over;
  // Tests: this plan and no other (no counts).
  std::optional<DrivingSet> plan;
  // Tests: every statement run is appended here.
  std::vector<BuiltQuery>* trace = nullptr;
};

// The page of the query, by the plan above, on conn (inside the caller's transaction).
[[nodiscard]] core::Result<core::TaskPage> list_tasks(PgConnection& conn,
                                                      const core::TaskQuery& query,
                                                      const ListingLimits& limits = {});

}  // namespace tickler::store::postgres
