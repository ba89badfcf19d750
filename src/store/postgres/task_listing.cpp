#include "store/postgres/task_listing.hpp"

#include <algorithm>
#include <charconv>

#include "store/postgres/search_terms.hpp"
#include "store/row_codec.hpp"

namespace tickler::store::postgres {
namespace {

core::Result<PgResult> run(PgConnection& conn, const BuiltQuery& built,
                           const ListingLimits& limits) {
  if (limits.trace) limits.trace->push_back(built);
  Params params;
  params.reserve(built.params.size());
  for (const auto& p : built.params) params.add(p);
  return conn.exec_text(built.sql, params);
}

core::Task read_listed(const Row& r) {
  return store::read_task(r, from_pg_array);
}

// The page of tasks (up to limit + 1 of them: the one past the page only says that a next page
// exists).
core::TaskPage page_of(std::vector<core::Task> tasks, const core::TaskQuery& q) {
  core::TaskPage page;
  const auto limit = static_cast<std::size_t>(q.limit);
  if (tasks.size() > limit) {
    tasks.resize(limit);
    page.next = core::keyset_of(tasks.back(), q.sort);
  }
  page.items = std::move(tasks);
  return page;
}

core::Result<std::vector<core::Task>> listed(PgConnection& conn, const BuiltQuery& built,
                                             const ListingLimits& limits) {
  auto res = run(conn, built, limits);
  if (!res) return res.error();
  std::vector<core::Task> out;
  out.reserve(static_cast<std::size_t>(res->rows()));
  for (int i = 0; i < res->rows(); ++i) out.push_back(read_listed(res->row(i)));
  return out;
}

// The query's candidate sets, in build_set_counts' order: each token of the search (unless the
// walk reads a token's entries already: reading its set instead saves nothing), each tag, the
// priorities.
std::vector<DrivingSet> candidate_sets(const core::TaskQuery& q, bool word_walk) {
  std::vector<DrivingSet> sets;
  const auto tokens = q.words.empty() || word_walk ? 0 : search_word_ranges(q.words).size();
  for (std::size_t i = 0; i < tokens; ++i) sets.push_back({Driver::text, i});
  for (std::size_t i = 0; i < q.tags.size(); ++i) sets.push_back({Driver::tag, i});
  if (!q.priorities.empty()) sets.push_back({Driver::priority, 0});
  return sets;
}

// The planner's estimate of a set's rows (the first "rows=" of its plan), or nullopt.
core::Result<std::optional<std::int64_t>> estimated_rows(PgConnection& conn,
                                                         const core::TaskQuery& q,
                                                         const DrivingSet& set,
                                                         const ListingLimits& limits) {
  auto res = run(conn, build_set_estimate(q, set), limits);
  if (!res) return res.error();
  if (res->rows() == 0) return std::optional<std::int64_t>{};
  const auto line = res->row(0).text(0);
  const auto at = line.find(" rows=");
  if (at == std::string::npos) return std::optional<std::int64_t>{};
  std::int64_t rows = 0;
  const auto* first = line.data() + at + 6;
  const auto [end, ec] = std::from_chars(first, line.data() + line.size(), rows);
  if (ec != std::errc{} || end == first) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rows};
}

// The sets worth counting up to cap: a tag's whose estimate is not far over the cap (a GIN scan
// reads the whole posting list, whatever the LIMIT), a search token's and the priorities' (B-tree
// ranges the count stops in).
core::Result<std::vector<DrivingSet>> worth_counting(PgConnection& conn, const core::TaskQuery& q,
                                                     std::int64_t cap, bool word_walk,
                                                     const ListingLimits& limits) {
  std::vector<DrivingSet> worth;
  const auto over = std::max(limits.uncounted_over, k_estimate_slack * cap);
  for (const auto& set : candidate_sets(q, word_walk)) {
    if (limits.uncounted_over > 0 && set.driver == Driver::tag) {
      auto rows = estimated_rows(conn, q, set, limits);
      if (!rows) return rows.error();
      if (*rows && **rows > over) continue;
    }
    worth.push_back(set);
  }
  return worth;
}

// Counts the sets and chooses the one to start from (or the walk).
core::Result<DrivingSet> choose(PgConnection& conn, const core::TaskQuery& q,
                                const std::vector<DrivingSet>& sets, std::int64_t cap,
                                const ListingLimits& limits) {
  auto res = run(conn, build_set_counts(q, cap, sets), limits);
  if (!res) return res.error();
  const auto row = res->row(0);
  // A set not counted is over the cap. The search's is its smallest token's.
  SetSizes sizes;
  std::size_t token = 0;
  if (!q.words.empty()) sizes.text = cap + 1;
  sizes.tags.assign(q.tags.size(), cap + 1);
  if (!q.priorities.empty()) sizes.priority = cap + 1;
  for (std::size_t col = 0; col < sets.size(); ++col) {
    const auto size = std::min(row.int64(static_cast<int>(col)), cap + 1);
    switch (sets[col].driver) {
      case Driver::text:
        if (size < *sizes.text) {
          sizes.text = size;
          token = sets[col].tag;
        }
        break;
      case Driver::tag:
        sizes.tags[sets[col].tag] = size;
        break;
      case Driver::priority:
        sizes.priority = size;
        break;
      case Driver::sort_index:
        break;
    }
  }
  auto chosen = choose_driving_set(sizes, cap);
  if (chosen.driver == Driver::text) chosen.tag = token;
  return chosen;
}

// A word walk's tokens are counted up to this many entries only (about 0.1 ms): past it, both
// are common, and their hits meet often or rarely whichever drives.
constexpr std::int64_t k_word_plan_cap = 200;

// A search's word walk, when it has one: the words of the token it walks, and the walk's first
// run when it came in the same statement (its rows carry the words in one more column).
struct WordWalk {
  std::optional<std::vector<std::string>> words;
  std::optional<PgResult> first_run;
};

// The word walk of a search in created order without a tag (build_word_search), or none.
core::Result<WordWalk> plan_word_walk(PgConnection& conn, const core::TaskQuery& q,
                                      const ListingLimits& limits) {
  WordWalk walk;
  if (!limits.word_walk || q.words.empty() || !q.tags.empty() || q.sort != core::SortKey::created) {
    return walk;
  }
  auto res = run(
      conn, build_word_search(q, limits.walk_rows, k_word_plan_cap, limits.word_branches), limits);
  if (!res) return res.error();
  if (res->rows() == 0) return walk;  // every token covers too many words
  walk.words = from_pg_array(res->row(0).text(res->columns() - 1));
  if (static_cast<std::int64_t>(walk.words->size()) <= limits.word_branches) {
    walk.first_run.emplace(std::move(*res));
  }
  return walk;
}

// Whether the listing walks its priorities' entries (build_priority_walk; with a tag, the
// tag's entries of those priorities): a priority filter in created order without a search (it
// has a walk of its own).
bool walks_priorities(const core::TaskQuery& q, const ListingLimits& limits) {
  return limits.priority_walk && !q.priorities.empty() && q.words.empty() &&
         q.sort == core::SortKey::created;
}

// Whether every entry the walk reads is a hit (no filter but those its entries are chosen by:
// none for the sort index, the priorities and one tag for the priorities' walk). Its runs are
// then the page and one more entry: a LIMIT the planner reads along the index even when the
// user's tasks are the whole of a small table, where a run of k_walk_rows is read by a scan of
// the table, sorted.
bool walks_hits_only(const core::TaskQuery& q, bool priority_walk) {
  if (q.status || q.due_before || q.due_after || q.has_due || !q.words.empty()) return false;
  return priority_walk ? q.tags.size() <= 1 : q.priorities.empty() && q.tags.empty();
}

}  // namespace

core::Result<core::TaskPage> list_tasks(PgConnection& conn, const core::TaskQuery& q,
                                        const ListingLimits& limits) {
  if (!can_match(q)) return core::TaskPage{};
  if (limits.plan && limits.plan->driver != Driver::sort_index) {
    auto tasks = listed(conn, build_task_query(q, *limits.plan), limits);
    if (!tasks) return tasks.error();
    return page_of(std::move(*tasks), q);
  }
  auto words = plan_word_walk(conn, q, limits);
  if (!words) return words.error();
  const bool word_walk = words->words.has_value();
  // A walk along the priorities' entries reads what their set holds, in order: no set is counted.
  const bool priority_walk = !word_walk && walks_priorities(q, limits);
  bool counted = limits.plan.has_value() || !has_candidate_sets(q) || priority_walk;
  const auto run_rows = !word_walk && walks_hits_only(q, priority_walk)
                            ? std::min(limits.walk_rows, static_cast<std::int64_t>(q.limit) + 1)
                            : limits.walk_rows;
  const auto next_run = [&](const core::TaskQuery& after) {
    return word_walk       ? build_word_walk(after, run_rows, *words->words)
           : priority_walk ? build_priority_walk(after, run_rows)
                           : build_task_walk(after, run_rows);
  };
  std::vector<core::Task> found;
  auto from = q;  // the walk's next run: past the last row walked, for what the page lacks
  for (;;) {
    // The first run of a word walk may have come with its plan, with the words' column last
    // (and, when nothing was walked, a row of NULLs).
    const int extra = words->first_run ? 1 : 0;
    auto walked = words->first_run ? core::Result<PgResult>{std::move(*words->first_run)}
                                   : run(conn, next_run(from), limits);
    words->first_run.reset();
    if (!walked) return walked.error();
    const int hit_col = walked->columns() - 2 - extra;  // then last
    std::optional<core::Task> last;
    for (int i = 0; i < walked->rows(); ++i) {
      const auto row = walked->row(i);
      if (row.is_null(0)) continue;
      auto task = read_listed(row);
      if (row.boolean(hit_col + 1)) last = task;
      if (row.boolean(hit_col)) found.push_back(std::move(task));
    }
    if (found.size() > static_cast<std::size_t>(q.limit) || !last) break;
    if (!counted) {
      counted = true;
      // The first run (a full one: it has a last row) is a sample: its hits tell how many rows
      // the walk still needs (search_plan.hpp). Within one more run, the walk goes on; else a
      // set is worth reading when that costs less than those rows, and at most
      // k_driving_set_cap rows (a first run without hits says little: recent tasks may be
      // unlike the rest).
      const auto rest =
          driving_set_cap(limits.walk_rows, static_cast<std::int64_t>(found.size()), q.limit, 1);
      const auto cap = limits.set_cap.value_or(
          rest <= limits.walk_rows ? 0 : std::min(k_driving_set_cap, rest / k_set_row_cost));
      auto worth = cap >= 1 ? worth_counting(conn, q, cap, word_walk, limits)
                            : core::Result<std::vector<DrivingSet>>{std::vector<DrivingSet>{}};
      if (!worth) return worth.error();
      const auto& sets = *worth;
      if (sets.empty()) {
        // Every set is large: the walk goes on.
      } else if (sets.size() == 1 && sets[0].driver != Driver::text) {
        // One set: counting it and reading it are one statement. (A search's set is counted
        // first, without its rows: a set over the cap then costs its postings only.) The
        // priorities' B-tree range
        // stops at its LIMIT, which stays at least k_driving_set_cap: a LIMIT far below the
        // range's estimated size lets the planner prefer a scan of every user's rows.
        const auto read_cap = sets[0].driver == Driver::priority && !limits.set_cap
                                  ? std::max(cap, k_driving_set_cap)
                                  : cap;
        auto res = run(conn, build_capped_set_query(q, sets[0], read_cap), limits);
        if (!res) return res.error();
        const int size_col = res->columns() - 1;
        if (res->row(0).int64(size_col) <= read_cap) {
          std::vector<core::Task> tasks;
          for (int i = 0; i < res->rows(); ++i) {
            if (!res->row(i).is_null(0)) tasks.push_back(read_listed(res->row(i)));
          }
          return page_of(std::move(tasks), q);
        }
      } else {
        auto set = choose(conn, q, sets, cap, limits);
        if (!set) return set.error();
        if (set->driver != Driver::sort_index) {
          auto tasks = listed(conn, build_task_query(q, *set), limits);
          if (!tasks) return tasks.error();
          return page_of(std::move(*tasks), q);
        }
      }
    }
    from.after = core::keyset_of(*last, q.sort);
    from.limit = q.limit - static_cast<int>(found.size());
  }
  return page_of(std::move(found), q);
}

}  // namespace tickler::store::postgres
