#pragma once
// A task listing on PostgreSQL: store/search_plan.hpp's rule, in statements of one snapshot.
// 1. the walk: runs of at most walk_rows rows of the user's sort index past the cursor
//    (build_task_walk; with a tag, that tag's entries in task_tags), until the page is full or
//    the user's last task is reached. A walk whose every entry is a hit (no filter; or only the
//    priorities, and one tag, that a priorities' walk chooses its entries by) runs for the page
//    and one more entry: the planner reads that LIMIT along the index even in a small table. A
//    search in created order without a tag walks one of its tokens' entries in task_words instead
//    (build_word_walk): the token with the fewest entries whose prefix covers at most
//    k_max_walk_words words (counted up to 200 entries; a search of one token is not counted) —
//    every task the search matches has an entry there, so recent tasks without the word cost
//    nothing, however many. That plan and the walk's first run are one statement
//    (build_word_search) when the token covers at most word_branches words. A priority filter in
//    created order without a search walks the wanted priorities' entries in
//    tasks_by_priority_created (build_priority_walk, api/0009) — with a tag, the first tag's
//    entries of those priorities in task_tags_by_priority_created (api/0010) — merged: recent
//    tasks of other priorities cost nothing either, and no set is counted (it would read the same
//    rows);
// 2. with candidate sets (a search's tokens, tags, priorities), when the first run did neither:
//    the counts of the sets, each up to a cap + 1 from the user's index entries, and
//    choose_driving_set. The cap is what the rest of the walk would cost, from the first run's
//    hits (driving_set_cap, a set's row costing k_set_row_cost rows of the walk), and at most
//    k_driving_set_cap (a first run with no hit says little: recent tasks unlike the rest).
//    A set within the cap is read and sorted (the listing from the cursor); else the walk goes
//    on from the first run's last row. A search token's count is an index-only range scan of
//    task_words that stops at the cap (api/0008), as is the priorities'; a tag's set is in a GIN
//    index, whose scan reads the whole posting list whatever the LIMIT, so a tag the planner's
//    statistics put over uncounted_over rows and over k_estimate_slack × the cap is not counted
//    at all (build_set_estimate; the statistics keep each per-user key's frequency, so the
//    estimate is of the user's own set). With one candidate set other than a search's, the
//    count and the read are one statement (build_capped_set_query): the set is read once; a
//    search token's set is counted first, without its rows. A walk along a token's entries
//    counts no token's set: reading it would read the same rows.
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

// A tag's GIN set is counted unless the planner estimates it over k_estimate_slack times the cap
// (estimates of a key's frequency are rough, and off by 2× for several words) and over
// k_uncounted_over rows, where counting it reads enough postings to matter (about 1 µs each).
inline constexpr std::int64_t k_estimate_slack = 4;
inline constexpr std::int64_t k_uncounted_over = k_estimate_slack * k_driving_set_cap;

// Reading one row of a set in rows of a walk: a set is read whole, each row from the heap (a
// random page), then materialised and sorted — about 8 µs a row at 1M tasks, where a walk's
// row (the next index entry, its heap row, the filters' test) takes about 1 µs.
inline constexpr std::int64_t k_set_row_cost = 8;

// A word walk's first run comes with its plan when the token covers at most this many words: a
// few (each of the merge's branches costs a little even when it has no word).
inline constexpr std::int64_t k_word_branches = 4;

// The plan's sizes (tests make them small, to reach every plan with few tasks).
struct ListingLimits {
  // Rows one run of a walk reads (search_plan.hpp); few beside a large user's rows, so that the
  // planner walks the sort index (given more, it reads and sorts a small table instead).
  std::int64_t walk_rows = k_walk_rows;
  // The cap of a count; nullopt: sized by the first run's hits (driving_set_cap).
  std::optional<std::int64_t> set_cap = std::nullopt;
  // A tag's set estimated over this many rows and over k_estimate_slack × the cap is not
  // counted; 0: every set is.
  std::int64_t uncounted_over = k_uncounted_over;
  // A search in created order may walk a token's entries (build_word_walk); false: it walks the
  // sort index (tests compare the two).
  bool word_walk = true;
  // The words of a token a word walk's first run reads in the statement that plans it
  // (build_word_search); a token of more words is walked by a statement of its own.
  std::int64_t word_branches = k_word_branches;
  // A priority filter in created order without a search walks its priorities' entries
  // (build_priority_walk); false: it walks the sort index or the tag's entries (tests compare).
  bool priority_walk = true;
  // Tests: this plan and no other (no counts).
  std::optional<DrivingSet> plan = std::nullopt;
  // Tests: every statement run is appended here.
  std::vector<BuiltQuery>* trace = nullptr;
};

// The page of the query, by the plan above, on conn (inside the caller's transaction).
[[nodiscard]] core::Result<core::TaskPage> list_tasks(PgConnection& conn,
                                                      const core::TaskQuery& query,
                                                      const ListingLimits& limits = {});

}  // namespace tickler::store::postgres
