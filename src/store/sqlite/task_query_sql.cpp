#include "store/sqlite/task_query_sql.hpp"

#include "store/row_codec.hpp"
#include "store/sqlite/search_index.hpp"
#include "store/task_sort.hpp"

namespace tickler::store::sqlite {
namespace {

const std::string k_cap = std::to_string(k_driving_set_cap + 1);

void add_priorities(BuiltQuery& b, const core::TaskQuery& q) {
  b.sql += " IN (";
  for (std::size_t i = 0; i < q.priorities.size(); ++i) {
    b.sql += i ? ", ?" : "?";
    b.params.emplace_back(static_cast<std::int64_t>(q.priorities[i]));
  }
  b.sql += ")";
}

}  // namespace

BuiltQuery build_set_sizes_query(const core::TaskQuery& q) {
  BuiltQuery b;
  auto& sql = b.sql;
  sql = "SELECT 0";
  if (!q.words.empty()) {
    sql += ", (SELECT count(*) FROM (SELECT 1 FROM tasks_fts WHERE tasks_fts MATCH ? LIMIT " +
           k_cap + "))";
    b.params.emplace_back(fts_match_expression(q.user_id, q.words));
  }
  for (const auto& tag : q.tags) {
    sql += ", (SELECT count(*) FROM (SELECT 1 FROM task_tags WHERE user_id = ? AND tag = ? LIMIT " +
           k_cap + "))";
    b.params.emplace_back(q.user_id);
    b.params.emplace_back(tag);
  }
  if (!q.priorities.empty()) {
    sql +=
        ", (SELECT count(*) FROM (SELECT 1 FROM tasks INDEXED BY tasks_by_priority"
        " WHERE user_id = ? AND priority";
    b.params.emplace_back(q.user_id);
    add_priorities(b, q);
    sql += " LIMIT " + k_cap + "))";
  }
  return b;
}

SetSizes set_sizes_of(const core::TaskQuery& q, const std::vector<std::int64_t>& row) {
  SetSizes sizes;
  std::size_t i = 1;  // after the leading 0
  const auto next = [&] { return i < row.size() ? row[i++] : k_driving_set_cap + 1; };
  if (!q.words.empty()) sizes.text = next();
  for (std::size_t t = 0; t < q.tags.size(); ++t) sizes.tags.push_back(next());
  if (!q.priorities.empty()) sizes.priority = next();
  return sizes;
}

BuiltQuery build_task_query(const core::TaskQuery& q, const SetSizes& sizes) {
  const auto start = choose_driving_set(sizes);
  BuiltQuery b;
  auto& sql = b.sql;
  switch (start.driver) {
    case Driver::text:
      // CROSS JOIN keeps the search hits the outer loop: at most the cap, then sorted.
      sql = select_columns(k_task_columns,
                           " FROM tasks_fts f CROSS JOIN tasks t ON t.id = f.rowid"
                           " WHERE f.tasks_fts MATCH ? AND t.user_id = ?");
      b.params.emplace_back(fts_match_expression(q.user_id, q.words));
      break;
    case Driver::tag:
      sql = select_columns(k_task_columns,
                           " FROM task_tags g CROSS JOIN tasks t ON t.id = g.task_id"
                           " WHERE g.user_id = ? AND g.tag = ? AND t.user_id = ?");
      b.params.emplace_back(q.user_id);
      b.params.emplace_back(q.tags[start.tag]);
      break;
    case Driver::priority:
      sql = select_columns(k_task_columns,
                           " FROM tasks t INDEXED BY tasks_by_priority"
                           " WHERE t.user_id = ?");
      break;
    case Driver::sort_index:
      sql = select_columns(k_task_columns, " FROM tasks t WHERE t.user_id = ?");
      break;
  }
  b.params.emplace_back(q.user_id);

  if (q.status) {
    sql += " AND t.status = ?";
    b.params.emplace_back(status_code(*q.status));
  }
  if (!q.priorities.empty()) {
    // Unary + keeps the filter residual on a walk: an IN on the sort column would split the
    // index walk into ranges and force a sort.
    sql += start.driver == Driver::priority ? " AND t.priority" : " AND +t.priority";
    add_priorities(b, q);
  }
  for (std::size_t i = 0; i < q.tags.size(); ++i) {
    if (start.driver == Driver::tag && i == start.tag) continue;
    sql += " AND EXISTS (SELECT 1 FROM task_tags WHERE user_id = ? AND tag = ? AND task_id = t.id)";
    b.params.emplace_back(q.user_id);
    b.params.emplace_back(q.tags[i]);
  }
  if (q.due_after) {
    sql += " AND t.due_at >= ?";
    b.params.emplace_back(core::to_millis(*q.due_after));
  }
  if (q.due_before) {
    sql += " AND t.due_at < ?";
    b.params.emplace_back(core::to_millis(*q.due_before));
  }
  if (q.has_due) sql += *q.has_due ? " AND t.due_at IS NOT NULL" : " AND t.due_at IS NULL";
  if (!q.words.empty() && start.driver != Driver::text) {
    if (sizes.text && *sizes.text <= k_driving_set_cap) {
      // Few hits: the set of them, built once.
      sql += " AND t.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?)";
      b.params.emplace_back(fts_match_expression(q.user_id, q.words));
    } else {
      // Many hits: each task walked is tested, a page fills after few of them.
      sql += " AND tickler_match(t.title, t.description, t.tags, ?)";
      b.params.emplace_back(encode_phrases(q.words));
    }
  }

  const TaskSort sort{q, "t.title COLLATE NOCASE"};
  if (q.after) {
    sql += sort.after("?", "?");
    const auto& k = q.after->key;
    if (const auto* i = std::get_if<std::int64_t>(&k)) {
      b.params.emplace_back(*i);
    } else if (const auto* s = std::get_if<std::string>(&k)) {
      b.params.emplace_back(*s);
    } else {
      b.params.emplace_back(k_no_due_sort);
    }
    b.params.emplace_back(q.after->id);
  }
  sql += sort.order_by("?");
  b.params.emplace_back(static_cast<std::int64_t>(q.limit) + 1);
  return b;
}

}  // namespace tickler::store::sqlite
