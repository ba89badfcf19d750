#include "store/postgres/task_query_sql.hpp"

#include <algorithm>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/search_terms.hpp"
#include "store/row_codec.hpp"
#include "store/task_sort.hpp"

namespace tickler::store::postgres {
namespace {

// Text PostgreSQL can hold: UTF-8 without NUL. A filter value that is not can match nothing
// (SQLite compares the bytes and finds no row); sent as a parameter it would be an error.
bool storable_text(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || i + n > s.size()) return false;
    std::uint32_t cp = c & (0xFFu >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n;
  }
  return true;
}

bool storable_tags(const core::TaskQuery& q) {
  return std::all_of(q.tags.begin(), q.tags.end(), storable_text);
}

class Builder {
 public:
  explicit Builder(BuiltQuery& b) : b_(b) {}
  // Adds a parameter; returns its placeholder.
  std::string param(std::string value) {
    b_.params.emplace_back(std::move(value));
    return "$" + std::to_string(b_.params.size());
  }
  std::string param(std::int64_t value) { return param(std::to_string(value)); }

 private:
  BuiltQuery& b_;
};

// "(p1, p2, …)": the query's priorities as placeholders.
std::string priority_list(Builder& p, const core::TaskQuery& q) {
  std::string out = "(";
  for (std::size_t i = 0; i < q.priorities.size(); ++i) {
    if (i) out += ", ";
    out += p.param(static_cast<std::int64_t>(q.priorities[i]));
  }
  return out + ")";
}

// " AND …" for every filter, as conditions no index serves: neither `search` nor `tags` has an
// index of its own (their GIN indexes are on the owner's keys), and `priority + 0` is not the
// column tasks_by_priority holds. The driving set's own condition is left out when it is
// exact (the priorities); the search and the tags are tested here whatever drives.
std::string residuals(Builder& p, const core::TaskQuery& q, Driver driver) {
  std::string sql;
  if (q.status) sql += " AND t.status = " + p.param(status_code(*q.status));
  if (!q.priorities.empty() && driver != Driver::priority) {
    sql += " AND t.priority + 0 IN " + priority_list(p, q);
  }
  if (!q.tags.empty()) {
    sql += storable_tags(q) ? " AND t.tags @> " + p.param(to_pg_array(q.tags)) + "::text[]"
                            : std::string{" AND false"};
  }
  if (q.due_after) sql += " AND t.due_at >= " + p.param(core::to_millis(*q.due_after));
  if (q.due_before) sql += " AND t.due_at < " + p.param(core::to_millis(*q.due_before));
  if (q.has_due) sql += *q.has_due ? " AND t.due_at IS NOT NULL" : " AND t.due_at IS NULL";
  if (!q.words.empty()) {
    if (auto terms = search_query(q.words)) {
      sql += " AND t.search @@ " + p.param(std::move(*terms)) + "::tsquery";
    } else {
      sql += " AND false";  // only words without letters or digits: FTS5 matches nothing
    }
  }
  return sql;
}

// " AND (key, id) > (cursor)" (< when descending), or nothing on the first page.
std::string after_cursor(Builder& p, const core::TaskQuery& q, const TaskSort& sort) {
  if (!q.after) return {};
  // Keys of another type compare as SQLite compares them: every number sorts before every
  // text, so a text key after a number key (or the reverse) ends or spans the listing.
  const auto& k = q.after->key;
  std::string key;
  std::int64_t id = q.after->id;
  if (q.sort == core::SortKey::title) {
    const auto* s = std::get_if<std::string>(&k);
    key = std::string{"translate("} + p.param(s ? *s : std::string{}) + "::text, " + k_nocase_from +
          ", " + k_nocase_to + ") COLLATE \"C\"";
  } else if (const auto* i = std::get_if<std::int64_t>(&k)) {
    key = p.param(*i);
  } else {
    if (std::holds_alternative<std::string>(k)) id = k_no_due_sort;
    key = p.param(k_no_due_sort);  // no due date (or a text key): after every number
  }
  return sort.after(key, p.param(id));
}

// " AND <word in range>" on task_words x (migration 0008).
std::string word_range(Builder& p, const WordRange& range) {
  if (range.exact) return " AND x.word = " + p.param(range.low);
  std::string sql = " AND x.word >= " + p.param(range.low);
  if (range.high) sql += " AND x.word < " + p.param(*range.high);
  return sql;
}

// The rows one candidate set reads through its index, as a FROM clause that names them t and
// ends in a WHERE clause (more conditions follow as " AND …"). A search's set is the tasks of
// one of its tokens' word ranges in task_words (set.tag: the token's index in
// search_word_ranges), each read by id: a nested loop on the primary key, whatever the planner
// estimates of the range.
std::string set_source(Builder& p, const core::TaskQuery& q, const DrivingSet& set) {
  switch (set.driver) {
    case Driver::text: {
      const auto ranges = search_word_ranges(q.words);
      if (set.tag >= ranges.size()) return "tasks t WHERE false";
      return "(SELECT DISTINCT x.task_id FROM task_words x WHERE x.user_id = " +
             p.param(q.user_id) + word_range(p, ranges[set.tag]) +
             ") x CROSS JOIN LATERAL (SELECT * FROM tasks t WHERE t.id = x.task_id OFFSET 0) t"
             " WHERE true";
    }
    case Driver::tag: {
      const auto& tag = q.tags.at(set.tag);
      if (!storable_text(tag)) return "tasks t WHERE false";
      return "tasks t WHERE task_tag_keys(t.user_id, t.tags) @> " +
             p.param(to_pg_array({tag_key(q.user_id, tag)})) + "::text[]";
    }
    case Driver::priority:
      return "tasks t WHERE t.user_id = " + p.param(q.user_id) + " AND t.priority IN " +
             priority_list(p, q);
    case Driver::sort_index:
      break;
  }
  return "tasks t WHERE t.user_id = " + p.param(q.user_id);
}

std::string direction(const core::TaskQuery& q) {
  return q.order == core::SortOrder::asc ? " ASC" : " DESC";
}

// The walk of the user's sort index: the rows themselves, the filters tested above them.
BuiltQuery build_sort_index_walk(const core::TaskQuery& q, std::int64_t rows) {
  BuiltQuery b;
  Builder p{b};
  const TaskSort sort{q, "t.title_key"};
  const std::string user = p.param(q.user_id);
  const std::string after = after_cursor(p, q, sort);
  const std::string hit = "(true" + residuals(p, q, Driver::sort_index) + ") IS TRUE";
  // A constant, not a parameter: the planner sees how few of the user's rows the walk reads,
  // and reads them along the sort index rather than sorting them all.
  const std::string walk_rows = std::to_string(rows);
  const std::string order = std::string{sort.column()} + direction(q) + ", t.id" + direction(q);
  // The filters are tested above the numbered rows, where no index can take them over.
  b.sql = select_columns(k_task_columns, ", t.hit, t.walked = ") + walk_rows +
          " AS last FROM (SELECT t.*, " + hit + " AS hit, row_number() OVER (ORDER BY " + order +
          ") AS walked FROM (SELECT * FROM tasks t WHERE t.user_id = " + user + after +
          " ORDER BY " + order + " LIMIT " + walk_rows +
          ") t) t WHERE t.hit OR t.walked = " + walk_rows;
  b.sql += sort.order_by(p.param(static_cast<std::int64_t>(q.limit) + 1));
  return b;
}

// The walk of the query's first tag's entries in task_tags (migration 0007), in the sort key's
// order: an index-only scan of task_tags_by_<key>, the priority tested on the entries (numbered
// first: the run's bound counts entries, not hits); only the entries that pass, and the run's
// last, are read from tasks, one by one by id (LATERAL … OFFSET 0: a nested loop on the primary
// key, whatever the planner estimates), where the rest is tested. The page is ordered by the
// entries' keys (the tasks' own), so the scan stops once the page is full.
BuiltQuery build_tag_walk(const core::TaskQuery& q, std::int64_t rows) {
  BuiltQuery b;
  Builder p{b};
  const TaskSort entry{q, "g.title_key", "g", "task_id"};
  const TaskSort walked{q, "w.title_key", "w", "id"};
  const std::string user = p.param(q.user_id);
  const std::string tag = p.param(q.tags.front());
  const std::string after = after_cursor(p, q, entry);
  std::string entry_filters;
  if (!q.priorities.empty()) entry_filters = " AND g.priority + 0 IN " + priority_list(p, q);
  const std::string hit = "w.entry_hit AND (true" + residuals(p, q, Driver::priority) + ") IS TRUE";
  const std::string walk_rows = std::to_string(rows);
  const std::string order =
      std::string{entry.column()} + direction(q) + ", g.task_id" + direction(q);
  // The entry's key, under the name the page is ordered by (w.<column>).
  const std::string key =
      q.sort == core::SortKey::priority ? std::string{} : std::string{entry.column()} + ", ";
  const std::string entries =
      "SELECT g.task_id AS id, " + key + "g.priority, (true" + entry_filters +
      ") IS TRUE AS entry_hit, row_number() OVER (ORDER BY " + order +
      ") AS walked FROM (SELECT g.task_id, " + key +
      "g.priority FROM task_tags g WHERE g.user_id = " + user + " AND g.tag = " + tag + after +
      " ORDER BY " + order + " LIMIT " + walk_rows + ") g";
  b.sql = select_columns(k_task_columns, ", ") + hit + " AS hit, w.walked = " + walk_rows +
          " AS last FROM (SELECT * FROM (" + entries +
          ") w WHERE w.entry_hit OR w.walked = " + walk_rows +
          ") w CROSS JOIN LATERAL (SELECT * FROM tasks t WHERE t.id = w.id OFFSET 0) t" +
          " WHERE (" + hit + ") OR w.walked = " + walk_rows;
  b.sql += walked.order_by(p.param(static_cast<std::int64_t>(q.limit) + 1));
  return b;
}

// A walk in created order along the index entries of several keys of one column (task_words'
// words, tasks' priorities): each key's entries past the cursor in created order (one index
// scan of (user_id, key, created_at, id), stopped at `rows`), merged (a Merge Append: every
// step of the statement streams, so a page that fills early reads few entries); each entry's
// task read by id and tested against every filter as the page needs it. A task two keys hold
// (two words of a prefix) comes twice in a row: the second is a duplicate, never a hit (it
// still counts as walked, so the run's last entry is always there to go on from).
// `keys` are SQL expressions (placeholders, or a word of the statement's plan); `tag`, when
// given, is task_tags' tag the entries have; `gate`, when given, a condition on nothing the walk
// reads: when false, the walk reads nothing.
std::string merged_walk(Builder& p, const core::TaskQuery& q, std::int64_t rows,
                        std::string_view table, std::string_view id, std::string_view key_column,
                        const std::vector<std::string>& keys,
                        const std::optional<std::string>& tag = std::nullopt,
                        std::string_view gate = {}) {
  const TaskSort entry{q, "x.title_key", "x", id};
  const TaskSort walked{q, "w.title_key", "w", "id"};
  const std::string user = p.param(q.user_id);
  const std::string of_tag = tag ? " AND x.tag = " + p.param(*tag) : std::string{};
  const std::string after = after_cursor(p, q, entry);
  const std::string walk_rows = std::to_string(rows);
  const std::string source = "SELECT x.created_at, " + entry.id() + " AS task_id FROM " +
                             std::string{table} + " x WHERE x.user_id = " + user + of_tag;
  const std::string order = "created_at" + direction(q) + ", task_id" + direction(q);
  const std::string entry_order =
      std::string{entry.column()} + direction(q) + ", " + entry.id() + direction(q);
  // One key's entries are in order already; several keys' are merged, in order.
  std::string entries;
  for (const auto& key : keys) {
    if (!entries.empty()) entries += " UNION ALL ";
    entries += "(" + source + " AND x." + std::string{key_column} + " = " + key + after +
               " ORDER BY " + entry_order + " LIMIT " + walk_rows + ")";
  }
  if (keys.size() > 1) entries += " ORDER BY " + order + " LIMIT " + walk_rows;
  // No key: nothing matches (every parameter still used).
  if (entries.empty()) entries = source + " AND false" + after;
  const std::string gated = gate.empty() ? std::string{} : " WHERE " + std::string{gate};
  const std::string hit = "(NOT w.dup" + residuals(p, q, Driver::sort_index) + ") IS TRUE";
  return select_columns(k_task_columns, ", ") + hit + " AS hit, w.walked = " + walk_rows +
         " AS last FROM (SELECT x.created_at, x.task_id AS id, row_number() OVER o AS walked, "
         "coalesce(lag(x.task_id) OVER o = x.task_id, false) AS dup FROM (" +
         entries + ") x" + gated + " WINDOW o AS (ORDER BY " + order +
         ")) w CROSS JOIN LATERAL (SELECT * FROM "
         "tasks t WHERE t.id = w.id OFFSET 0) t WHERE (" +
         hit + ") OR w.walked = " + walk_rows +
         walked.order_by(p.param(static_cast<std::int64_t>(q.limit) + 1));
}

// The word plan of a search in created order: one row, the words (text[]) of the token a word
// walk reads, or none when every token covers over k_max_walk_words words. That token is the
// one with the fewest index entries in task_words (each counted up to cap + 1 by an index-only
// range scan that stops there; a search of one token is not counted), ties to the first; its
// distinct words are found one index descent each (a loose index scan), and a token's only
// when those before it cover too many. (A prefix prefix_end finds no end for is never walked.)
std::string word_plan(Builder& p, const core::TaskQuery& q, std::int64_t cap) {
  const std::string user = p.param(q.user_id);
  const std::string limit = std::to_string(cap + 1);
  const std::string most = std::to_string(k_max_walk_words + 1);
  const auto ranges = search_word_ranges(q.words);
  std::string tokens;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const auto& range = ranges[i];
    const std::string count =
        ranges.size() == 1
            ? std::string{"0::bigint"}
            : "(SELECT count(*) FROM (SELECT FROM task_words x WHERE x.user_id = " + user +
                  word_range(p, range) + " LIMIT " + limit + ") s)";
    const std::string high = range.high ? p.param(*range.high) + "::text" : "NULL::text";
    if (i) tokens += ", ";
    tokens += "(" + std::to_string(i) + ", " + count + ", " + p.param(range.low) + "::text, " +
              high + ", " + (range.exact ? "true" : "false") + ")";
  }
  // The tokens in the order they are tried (OFFSET 0 keeps each step apart: the words are found
  // for the tokens tried, once each, and in that order).
  return "SELECT c.words FROM (SELECT CASE WHEN c.exact THEN ARRAY[c.low] ELSE "
         "ARRAY(WITH RECURSIVE w(word, n) AS ((SELECT x.word, 1 FROM task_words x WHERE "
         "x.user_id = " +
         user +
         " AND x.word >= c.low AND x.word < c.high ORDER BY x.word LIMIT 1) UNION ALL (SELECT "
         "y.word, w.n + 1 FROM w CROSS JOIN LATERAL (SELECT x.word FROM task_words x WHERE "
         "x.user_id = " +
         user + " AND x.word > w.word AND x.word < c.high ORDER BY x.word LIMIT 1) y WHERE w.n < " +
         most + ")) SELECT word FROM w) END AS words FROM (SELECT * FROM (VALUES " + tokens +
         ") c(i, n, low, high, exact) WHERE c.exact OR c.high IS NOT NULL ORDER BY c.n, c.i "
         "OFFSET 0) c OFFSET 0) c WHERE cardinality(c.words) <= " +
         std::to_string(k_max_walk_words) + " LIMIT 1";
}

}  // namespace

bool can_match(const core::TaskQuery& q) {
  return (q.words.empty() || search_query(q.words)) && storable_tags(q);
}

BuiltQuery build_task_walk(const core::TaskQuery& q, std::int64_t rows) {
  return q.tags.empty() || !storable_tags(q) ? build_sort_index_walk(q, rows)
                                             : build_tag_walk(q, rows);
}

BuiltQuery build_task_query(const core::TaskQuery& q, const DrivingSet& from) {
  BuiltQuery b;
  Builder p{b};
  const TaskSort sort{q, "t.title_key"};
  // OFFSET 0 keeps the set's scan apart from the cursor and the ORDER BY … LIMIT: the planner
  // reads the set by its own index, and the rest happens to those rows only.
  b.sql = select_columns(k_task_columns, " FROM (SELECT t.* FROM ");
  b.sql += set_source(p, q, from);
  b.sql += residuals(p, q, from.driver);
  b.sql += " OFFSET 0) t WHERE true";
  b.sql += after_cursor(p, q, sort);
  b.sql += sort.order_by(p.param(static_cast<std::int64_t>(q.limit) + 1));
  return b;
}

BuiltQuery build_capped_set_query(const core::TaskQuery& q, const DrivingSet& from,
                                  std::int64_t cap) {
  BuiltQuery b;
  Builder p{b};
  const TaskSort sort{q, "t.title_key"};
  // At most cap + 1 rows of the set, read by its index once: their number says whether the
  // set is within the cap, and the page comes from them. One row even when no task passes.
  b.sql = "WITH s AS MATERIALIZED (SELECT t.* FROM " + set_source(p, q, from) + " LIMIT " +
          std::to_string(cap + 1) + ") SELECT page.*, (SELECT count(*) FROM s) " +
          "FROM (SELECT) AS one LEFT JOIN LATERAL (" +
          select_columns(k_task_columns, " FROM s t WHERE true") + residuals(p, q, from.driver) +
          after_cursor(p, q, sort) +
          sort.order_by(p.param(static_cast<std::int64_t>(q.limit) + 1)) + ") page ON true";
  return b;
}

BuiltQuery build_word_search(const core::TaskQuery& q, std::int64_t rows, std::int64_t cap,
                             std::int64_t branches) {
  BuiltQuery b;
  Builder p{b};
  const std::string plan = word_plan(p, q, cap);
  std::vector<std::string> keys;
  for (std::int64_t k = 1; k <= branches; ++k) keys.push_back("p.words[" + std::to_string(k) + "]");
  // The walk runs once, for the plan's one row (LATERAL: a nested loop, which keeps its order),
  // and only when it has a branch for each word.
  b.sql = "WITH p AS MATERIALIZED (" + plan + ") SELECT w.*, p.words FROM p LEFT JOIN LATERAL (" +
          merged_walk(p, q, rows, "task_words", "task_id", "word", keys, std::nullopt,
                      "cardinality(p.words) <= " + std::to_string(branches)) +
          ") w ON true";
  return b;
}

BuiltQuery build_word_walk(const core::TaskQuery& q, std::int64_t rows,
                           const std::vector<std::string>& words) {
  BuiltQuery b;
  Builder p{b};
  std::vector<std::string> keys;
  for (const auto& word : words) keys.push_back(p.param(word));
  b.sql = merged_walk(p, q, rows, "task_words", "task_id", "word", keys);
  return b;
}

BuiltQuery build_priority_walk(const core::TaskQuery& q, std::int64_t rows) {
  // Each priority once: a task has one, so no entry comes twice.
  std::vector<std::int64_t> codes;
  for (const auto priority : q.priorities) codes.push_back(static_cast<std::int64_t>(priority));
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  BuiltQuery b;
  Builder p{b};
  std::vector<std::string> keys;
  for (const auto code : codes) keys.push_back(p.param(code));
  b.sql = q.tags.empty()
              ? merged_walk(p, q, rows, "tasks", "id", "priority", keys)
              : merged_walk(p, q, rows, "task_tags", "task_id", "priority", keys, q.tags.front());
  return b;
}

BuiltQuery build_set_counts(const core::TaskQuery& q, std::int64_t cap) {
  std::vector<DrivingSet> sets;
  const auto tokens = q.words.empty() ? 0 : search_word_ranges(q.words).size();
  for (std::size_t i = 0; i < tokens; ++i) sets.push_back({Driver::text, i});
  for (std::size_t i = 0; i < q.tags.size(); ++i) sets.push_back({Driver::tag, i});
  if (!q.priorities.empty()) sets.push_back({Driver::priority, 0});
  return build_set_counts(q, cap, sets);
}

BuiltQuery build_set_counts(const core::TaskQuery& q, std::int64_t cap,
                            const std::vector<DrivingSet>& sets) {
  BuiltQuery b;
  Builder p{b};
  const std::string limit = std::to_string(cap + 1);
  b.sql = "SELECT ";
  for (std::size_t i = 0; i < sets.size(); ++i) {
    if (i) b.sql += ", ";
    if (sets[i].driver == Driver::text) {
      // The token's index entries, not its tasks: a prefix may hold a task twice (pay,
      // payment), so the count is at most that many over; within the cap it is within it.
      const auto ranges = search_word_ranges(q.words);
      const auto range = sets[i].tag < ranges.size() ? word_range(p, ranges[sets[i].tag])
                                                     : std::string{" AND false"};
      b.sql += "(SELECT count(*) FROM (SELECT FROM task_words x WHERE x.user_id = " +
               p.param(q.user_id) + range + " LIMIT " + limit + ") s)";
    } else {
      b.sql += "(SELECT count(*) FROM (SELECT FROM " + set_source(p, q, sets[i]) + " LIMIT " +
               limit + ") s)";
    }
  }
  return b;
}

BuiltQuery build_set_estimate(const core::TaskQuery& q, const DrivingSet& set) {
  BuiltQuery b;
  Builder p{b};
  b.sql = "EXPLAIN SELECT FROM " + set_source(p, q, set);
  return b;
}

}  // namespace tickler::store::postgres
