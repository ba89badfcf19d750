#pragma once
// The SQL of a task listing (core::TaskQuery) over the tasks table, with the SQLite store's
// semantics: each sort key has its own index (see migrations/postgres/api and
// store/task_sort.hpp), keyset pagination continues strictly after the previous page's last
// (key, id), titles sort as SQLite's NOCASE does (ASCII letters folded, then bytes) through the
// generated column title_key. Which rows a listing starts from is store/search_plan.hpp's rule;
// each statement fixes its access path by its shape, not by the planner's estimates (which
// cannot see one user's share of a word, a tag or a priority):
// - the walk reads a bounded run of the user's rows in sort order (an ORDER BY … LIMIT with
//   no filter, which only the sort index serves cheaply), and tests the filters on those rows
//   above it, where no index can serve them; it stops once a page is full. With a tag, it
//   reads that tag's entries in task_tags instead (one index per sort key behind the user and
//   the tag; migrations/postgres/api/0007), tests the priority on each entry and reads from
//   tasks, by id, only the entries that pass. A search in created order without a tag reads
//   one token's entries in task_words instead (migrations/postgres/api/0008: each word's
//   entries in created order, merged over the words of a prefix), each row by id; a priority
//   filter in created order without a tag or a search reads each wanted priority's entries in
//   tasks_by_priority_created (api/0009), merged the same way;
// - a driven listing reads one set — a search token's entries in task_words (then each row by
//   id), a tag's keys in the user's GIN entries (task_tag_keys), or tasks_by_priority — behind
//   OFFSET 0, so that the planner fetches the set by its index, then sorts it (at most
//   k_driving_set_cap rows); its other filters are residuals no index serves (neither `search`
//   nor `tags` has an index of its own, and a priority is tested as `priority + 0`);
// - the counts of the candidate sets let the store choose between them; with one set, a
//   capped read of it (at most k_driving_set_cap + 1 rows) counts it and lists it at once.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/task_query.hpp"
#include "store/search_plan.hpp"

namespace tickler::store::postgres {

// SQLite's NOCASE folding in SQL: ASCII upper case to lower case, nothing else.
inline constexpr const char* k_nocase_from = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'";
inline constexpr const char* k_nocase_to = "'abcdefghijklmnopqrstuvwxyz'";

struct BuiltQuery {
  std::string sql;
  std::vector<std::optional<std::string>> params;  // text format, $1 … $n
};

// The walk of the sort key's index (or, with tags, of the first tag's entries in that order):
// at most `rows` rows (entries) past the cursor, each tested against every filter. Returns
// those that pass, up to limit + 1, and the rows-th row walked whether it passes or not, with
// two more columns: hit (it passes the filters) and last (it is the rows-th row walked).
// Without a last row the walk reached the user's last task; else a walk from that row's key
// goes on.
[[nodiscard]] BuiltQuery build_task_walk(const core::TaskQuery& query, std::int64_t rows);

// The listing driven from one of its candidate sets (not Driver::sort_index): the set read by
// its index, every other filter a residual, sorted. Returns up to limit + 1 rows, so the caller
// knows whether a next page exists.
[[nodiscard]] BuiltQuery build_task_query(const core::TaskQuery& query, const DrivingSet& from);

// The listing driven from one of its candidate sets, reading at most cap + 1 of the set's
// rows (by its index) and telling their number: the rows of the page (up to limit + 1, their
// last column the number), or one row of NULLs but the number when none passes. When the
// number is over cap the set was larger and the page is not to be used.
[[nodiscard]] BuiltQuery build_capped_set_query(const core::TaskQuery& query,
                                                const DrivingSet& from, std::int64_t cap);

// One row: the sizes of the query's candidate sets, each counted up to cap + 1 from the user's
// index entries only — each token's of the search (its entries in task_words), each tag's in
// the query's order, the priorities' (when it has some) — in that order; or of the sets given,
// in their order.
[[nodiscard]] BuiltQuery build_set_counts(const core::TaskQuery& query, std::int64_t cap);
[[nodiscard]] BuiltQuery build_set_counts(const core::TaskQuery& query, std::int64_t cap,
                                          const std::vector<DrivingSet>& sets);

// The most distinct words a prefix may cover for a word walk (each is an index scan merged).
inline constexpr std::int64_t k_max_walk_words = 64;

// A search in created order without a tag, in one statement: its word plan, then the first run
// of the word walk (build_word_walk) along the words the plan found, when they are at most
// `branches` (the walk's merge has that many branches; those past the words read nothing).
// The plan's token is the one with the fewest entries in task_words (each counted up to cap + 1
// by an index-only range scan that stops there; a search of one token is not counted), among
// those whose words are at most k_max_walk_words (found one index descent each, for the tokens
// tried only). Returns no row when no token is walked; else the walk's rows as build_task_walk
// returns them, each with one more column, the token's words (text[]), or one row of NULLs but
// the words when the walk has no row or was not run (more words than branches).
[[nodiscard]] BuiltQuery build_word_search(const core::TaskQuery& query, std::int64_t rows,
                                           std::int64_t cap, std::int64_t branches);

// The walk of a search in created order (query.sort == created, no tag) along one token's
// entries in task_words: the entries of the given words (a token's range) past the cursor, at
// most `rows` of them in created order (merged; a task two words hold is a hit once), each
// read from tasks by id and tested against every filter (the search itself included) as the
// page needs it. Returns what build_task_walk returns.
[[nodiscard]] BuiltQuery build_word_walk(const core::TaskQuery& query, std::int64_t rows,
                                         const std::vector<std::string>& words);

// The walk of a priority filter in created order (query.sort == created, priorities, no
// search) along each wanted priority's tasks in tasks_by_priority_created (migrations/postgres/
// api/0009) — with a tag, along the first tag's entries of each wanted priority in
// task_tags_by_priority_created (api/0010) — merged as build_word_walk merges a prefix's words:
// recent tasks of other priorities are not read, however many. Returns what build_task_walk
// returns.
[[nodiscard]] BuiltQuery build_priority_walk(const core::TaskQuery& query, std::int64_t rows);

// The plan of a statement reading one tag's set by its index (EXPLAIN): its first line carries
// the planner's estimate of the set's rows ("rows=N"), from the statistics PostgreSQL keeps of
// each key of a GIN index — and the keys are the user's, so it is the user's count.
[[nodiscard]] BuiltQuery build_set_estimate(const core::TaskQuery& query, const DrivingSet& set);

// Whether the query can match anything: words with tokens, tags PostgreSQL can hold.
[[nodiscard]] bool can_match(const core::TaskQuery& query);

}  // namespace tickler::store::postgres
