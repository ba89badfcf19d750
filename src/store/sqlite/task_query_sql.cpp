#include "store/sqlite/task_query_sql.hpp"

#include "store/row_codec.hpp"
#include "store/task_sort.hpp"

namespace tickler::store::sqlite {

std::string fts_match_expression(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : w) {
      if (c == '"') out += '"';
      out += c;
    }
    out += "\"*";
  }
  return out;
}

BuiltQuery build_task_query(const core::TaskQuery& q) {
  BuiltQuery b;
  auto& sql = b.sql;
  sql = select_columns(k_task_columns, " FROM tasks t WHERE t.user_id = ?");
  b.params.emplace_back(q.user_id);

  if (q.status) {
    sql += " AND t.status = ?";
    b.params.emplace_back(status_code(*q.status));
  }
  if (!q.priorities.empty()) {
    // Unary + keeps the filter residual: an IN on the sort column would split the index walk
    // into ranges and force a sort.
    sql += " AND +t.priority IN (";
    for (std::size_t i = 0; i < q.priorities.size(); ++i) {
      sql += i ? ", ?" : "?";
      b.params.emplace_back(static_cast<std::int64_t>(q.priorities[i]));
    }
    sql += ")";
  }
  for (const auto& tag : q.tags) {
    sql += " AND t.id IN (SELECT task_id FROM task_tags WHERE user_id = ? AND tag = ?)";
    b.params.emplace_back(q.user_id);
    b.params.emplace_back(tag);
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
  if (!q.words.empty()) {
    sql += " AND t.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?)";
    b.params.emplace_back(fts_match_expression(q.words));
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
