#include "store/sqlite/task_listing.hpp"

#include <algorithm>

#include "store/row_codec.hpp"

namespace tickler::store::sqlite {
namespace {

core::Result<Statement> prepared(Connection& conn, const BuiltQuery& built,
                                 const ListingLimits& limits) {
  if (limits.trace) limits.trace->push_back(built);
  auto s = conn.prepare(built.sql);
  if (!s) return s.error();
  int i = 1;
  for (const auto& p : built.params) {
    std::visit([&](const auto& v) { s->bind(i, v); }, p);
    ++i;
  }
  return s;
}

// The statement's tasks, appended to out.
core::Status listed(Connection& conn, const BuiltQuery& built, const ListingLimits& limits,
                    std::vector<core::Task>& out) {
  auto s = prepared(conn, built, limits);
  if (!s) return s.error();
  return s->each_row([&](const Statement& row) -> core::Status {
    out.push_back(store::read_task(row, split_words));
    return {};
  });
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

// The page of one statement: its row past the page is not decoded, only seen.
core::Result<core::TaskPage> listing(Connection& conn, const core::TaskQuery& q,
                                     const ListingPlan& plan, const ListingLimits& limits) {
  auto s = prepared(conn, build_task_query(q, plan), limits);
  if (!s) return s.error();
  core::TaskPage page;
  page.items.reserve(static_cast<std::size_t>(q.limit));
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    if (page.items.size() == static_cast<std::size_t>(q.limit)) {
      page.next = core::keyset_of(page.items.back(), q.sort);
      break;
    }
    page.items.push_back(store::read_task(*s, split_words));
  }
  return page;
}

// The key and id of the walk's rows-th entry past the cursor, if it has that many.
core::Result<std::optional<core::Keyset>> walk_end(Connection& conn, const core::TaskQuery& q,
                                                   const DrivingSet& walk, std::int64_t rows,
                                                   const ListingLimits& limits) {
  auto s = prepared(conn, build_walk_end_query(q, walk, rows), limits);
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<core::Keyset>{};
  core::Keyset end;
  if (q.sort == core::SortKey::title) {
    end.key = s->text(0);
  } else {
    end.key = s->int64(0);
  }
  end.id = s->int64(1);
  return std::optional<core::Keyset>{std::move(end)};
}

// The sizes of the query's candidate sets that counted names, each counted up to cap.
core::Result<SetSizes> set_sizes(Connection& conn, const core::TaskQuery& q, std::int64_t cap,
                                 const Counted& counted, const ListingLimits& limits) {
  auto s = prepared(conn, build_set_sizes_query(q, cap, counted), limits);
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  std::vector<std::int64_t> sizes;
  for (int col = 0; *row && col < s->columns(); ++col) sizes.push_back(s->int64(col));
  return set_sizes_of(q, sizes, cap, counted);
}

// The ids of the query's search hits, up to cap + 1 of them, ascending.
core::Result<std::vector<std::int64_t>> search_hits(Connection& conn, const core::TaskQuery& q,
                                                    std::int64_t cap, const ListingLimits& limits) {
  auto s = prepared(conn, build_search_hits_query(q, cap), limits);
  if (!s) return s.error();
  std::vector<std::int64_t> ids;
  if (auto st = s->each_row([&](const Statement& row) -> core::Status {
        ids.push_back(row.int64(0));
        return {};
      });
      !st) {
    return st.error();
  }
  return ids;
}

// Whether a walk of q tests anything beyond its index entries (priority, status, the tag it
// walks along, a search's hits read as ids): words by tickler_match, due dates, a tag by an
// index probe.
bool walk_reads_rows(const core::TaskQuery& q, bool hits_as_ids) {
  return (!q.words.empty() && !hits_as_ids) || q.tags.size() > (walks_along_tags(q) ? 1u : 0u) ||
         q.due_after || q.due_before || q.has_due;
}

}  // namespace

core::Result<core::TaskPage> list_tasks(Connection& conn, const core::TaskQuery& q,
                                        const ListingLimits& limits) {
  if (limits.plan) return listing(conn, q, {.from = *limits.plan}, limits);
  if (!has_candidate_sets(q)) return listing(conn, q, {}, limits);

  // A search whose hits fit in the page starts from them: reading them costs no more than the
  // page, and counting that many postings is cheap.
  if (!q.words.empty()) {
    auto sizes = set_sizes(conn, q, q.limit + 1, {.tags = false, .priority = false}, limits);
    if (!sizes) return sizes.error();
    if (*sizes->text <= q.limit + 1) return listing(conn, q, {.from = {Driver::text, 0}}, limits);
  }

  // 2. The first run of the walk.
  const DrivingSet walk = walks_along_tags(q) ? DrivingSet{Driver::tag, 0} : DrivingSet{};
  const bool reads_rows = walk_reads_rows(q, false);
  const auto run_rows = reads_rows ? std::max<std::int64_t>(1, limits.walk_rows / k_row_run_divisor)
                                   : limits.walk_rows;
  auto end = walk_end(conn, q, walk, run_rows, limits);
  if (!end) return end.error();
  if (!*end)
    return listing(conn, q, {.from = walk}, limits);  // the user's last entry is within the run
  std::vector<core::Task> found;
  if (auto st = listed(conn, build_task_query(q, {.from = walk, .through = *end}), limits, found);
      !st) {
    return st.error();
  }
  if (found.size() > static_cast<std::size_t>(q.limit)) return page_of(std::move(found), q);

  // 3. The counts. The run's hits tell how many more rows the walk needs. A search with no more
  // hits than that is read (its ids), and tested on each index entry from then on rather than
  // by tickler_match on each row; a set that costs less to read and sort than the rest of the
  // walk starts the page, so the other sets are counted up to that size.
  const auto hits = static_cast<std::int64_t>(found.size());
  const auto rest_rows = limits.set_cap.value_or(driving_set_cap(run_rows, hits, q.limit, 1));
  // Tags are sets to read and sort, or (in created order) to walk along: the smallest, when
  // there are several.
  const bool count_tags = q.tags.size() > (walks_along_tags(q) ? 1u : 0u);
  std::optional<std::vector<std::int64_t>> search;
  if (rest_rows >= 1 && !q.words.empty()) {
    auto ids = search_hits(conn, q, rest_rows, limits);
    if (!ids) return ids.error();
    if (static_cast<std::int64_t>(ids->size()) <= rest_rows) search = std::move(*ids);
  }
  const bool rows_after = walk_reads_rows(q, search.has_value());
  const auto drive_cap = limits.set_cap.value_or(driving_set_cap(
      run_rows, hits, q.limit, rows_after ? k_set_row_in_rows : k_set_row_in_index_entries));
  const auto* search_ids = search ? &*search : nullptr;
  if (drive_cap >= 1 && (search || !q.priorities.empty() || count_tags)) {
    auto sizes = q.priorities.empty() && !count_tags
                     ? core::Result<SetSizes>{SetSizes{}}
                     : set_sizes(conn, q, drive_cap, {.text = false, .tags = count_tags}, limits);
    if (!sizes) return sizes.error();
    if (!q.words.empty()) {
      sizes->text = search ? static_cast<std::int64_t>(search->size()) : drive_cap + 1;
    }
    auto from = choose_driving_set(*sizes, drive_cap);
    if (from.driver == Driver::sort_index && count_tags && walks_along_tags(q)) {
      from = walk;  // along the smallest tag
      for (std::size_t i = 1; i < sizes->tags.size(); ++i) {
        if (sizes->tags[i] < sizes->tags[from.tag]) from.tag = i;
      }
    }
    if (from.driver != Driver::sort_index && from != walk) {
      return listing(conn, q, {.from = from, .hits = search_ids}, limits);
    }
  }

  // The walk goes on past its run, for what the page lacks.
  auto rest = q;
  rest.after = std::move(*end);
  rest.limit = q.limit - static_cast<int>(found.size());
  if (auto st =
          listed(conn, build_task_query(rest, {.from = walk, .hits = search_ids}), limits, found);
      !st) {
    return st.error();
  }
  return page_of(std::move(found), q);
}

}  // namespace tickler::store::sqlite
