#pragma once
// Which rows a filtered task listing starts from, the same rule in both engines. Walking the
// sort key's index with every filter as a residual costs about limit / selectivity rows before
// a page is full — cheap when the filters match many of the user's tasks, a walk through all of
// them when they match few. Starting from a filter's own set (the user's search hits, the
// user's tasks with one tag, or with some priorities) costs that set's size plus a sort.
//
// So each engine walks first: a run of at most k_walk_rows rows, which answers every query
// whose filters match more than about limit / k_walk_rows of the tasks. Only when that run
// neither fills the page nor reaches the user's last task does it count the candidate sets,
// each up to a cap (bounded work, and only the user's rows, never another user's), and start
// from the smallest set within the cap; when none is within it, the walk goes on. The run is
// also a sample: its hits tell how far the walk still has to go, so the cap can be sized for
// the query and the user's data (driving_set_cap) — a set is worth reading and sorting when
// that costs less than the rest of the walk would.
// Either way the page, its order and its keyset cursor are the same.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/task_query.hpp"

namespace tickler::store {

// The cap of a count when nothing sizes it (PostgreSQL's counts; the contract tests' edge).
inline constexpr std::int64_t k_driving_set_cap = 2000;

// Rows the first run of a walk reads: little beside the sets a count may read (a first run that
// does not fill the page costs less than a driven listing), enough to be a sample of the
// filters' selectivity.
inline constexpr std::int64_t k_walk_rows = 1000;

// The largest cap driving_set_cap gives: counting more costs milliseconds by itself.
inline constexpr std::int64_t k_max_driving_set_cap = 20000;

enum class Driver { sort_index, text, tag, priority };

struct DrivingSet {
  Driver driver = Driver::sort_index;
  std::size_t tag = 0;  // Driver::tag: the index of the tag in the query's tags
  bool operator==(const DrivingSet&) const = default;
};

// The counted sizes of a query's candidate sets, each at most the cap + 1.
struct SetSizes {
  std::optional<std::int64_t> text;      // the query has words
  std::vector<std::int64_t> tags;        // one per tag of the query
  std::optional<std::int64_t> priority;  // the query filters by priority
};

// Whether the query has a set to count at all (else it walks its sort index).
[[nodiscard]] bool has_candidate_sets(const core::TaskQuery& query);

// The smallest set within cap, else Driver::sort_index (the walk).
[[nodiscard]] DrivingSet choose_driving_set(const SetSizes& sizes,
                                            std::int64_t cap = k_driving_set_cap);

// The cap for a query whose walk found `hits` (fewer than limit + 1) in its first `walked` rows:
// the rows the walk still needs at that rate (limit + 1 - hits more hits; with none yet, as if
// one were next) divided by set_row_cost, what reading one row of a set and sorting it costs in
// rows of the walk; at most k_max_driving_set_cap. A cap below 1 means: do not count, walk on.
[[nodiscard]] std::int64_t driving_set_cap(std::int64_t walked, std::int64_t hits, int limit,
                                           std::int64_t set_row_cost);

}  // namespace tickler::store
