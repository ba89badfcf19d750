#pragma once
// Which rows a filtered task listing starts from, the same rule in both engines. Walking the
// sort key's index with every filter as a residual costs about limit / selectivity rows before
// a page is full — cheap when the filters match many of the user's tasks, a walk through all of
// them when they match few. Starting from a filter's own set (the user's search hits, the
// user's tasks with one tag, or with some priorities) costs that set's size plus a sort. So each
// engine counts each candidate set up to k_driving_set_cap + 1 rows — bounded work, and only
// the user's rows, never another user's — and starts from the smallest set within the cap; when
// none is within it, every filter matches many tasks and the walk fills a page quickly.
// Either way the page, its order and its keyset cursor are the same.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/task_query.hpp"

namespace tickler::store {

inline constexpr std::int64_t k_driving_set_cap = 2000;

enum class Driver { sort_index, text, tag, priority };

struct DrivingSet {
  Driver driver = Driver::sort_index;
  std::size_t tag = 0;  // Driver::tag: the index of the tag in the query's tags
};

// The counted sizes of a query's candidate sets, each at most k_driving_set_cap + 1.
struct SetSizes {
  std::optional<std::int64_t> text;      // the query has words
  std::vector<std::int64_t> tags;        // one per tag of the query
  std::optional<std::int64_t> priority;  // the query filters by priority
};

// Whether the query has a set to count at all (else it walks its sort index).
[[nodiscard]] bool has_candidate_sets(const core::TaskQuery& query);

[[nodiscard]] DrivingSet choose_driving_set(const SetSizes& sizes);

}  // namespace tickler::store
