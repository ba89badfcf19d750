#include "store/sqlite/task_query_sql.hpp"

#include "store/row_codec.hpp"
#include "store/sqlite/search_index.hpp"
#include "store/task_sort.hpp"

namespace tickler::store::sqlite {
namespace {

void add_priorities(BuiltQuery& b, const core::TaskQuery& q) {
  b.sql += " IN (";
  for (std::size_t i = 0; i < q.priorities.size(); ++i) {
    b.sql += i ? ", ?" : "?";
    b.params.emplace_back(static_cast<std::int64_t>(q.priorities[i]));
  }
  b.sql += ")";
}

// The index of the sort key.
std::string sort_index(const core::TaskQuery& q) {
  switch (q.sort) {
    case core::SortKey::due:
      return "tasks_by_due";
    case core::SortKey::priority:
      return "tasks_by_priority";
    case core::SortKey::title:
      return "tasks_by_title";
    case core::SortKey::created:
      break;
  }
  return "tasks_by_created";
}

// How the keys are read: from the task row (t), or from its tag's entry (g) along a tag.
TaskSort sort_of(const core::TaskQuery& q, bool along_tag) {
  if (along_tag) return TaskSort{q, "", "g", "task_id"};
  return TaskSort{q, "t.title COLLATE NOCASE"};
}

void add_key(BuiltQuery& b, const core::Keyset& k) {
  if (const auto* i = std::get_if<std::int64_t>(&k.key)) {
    b.params.emplace_back(*i);
  } else if (const auto* s = std::get_if<std::string>(&k.key)) {
    b.params.emplace_back(*s);
  } else {
    b.params.emplace_back(k_no_due_sort);
  }
  b.params.emplace_back(k.id);
}

// SQLite takes a row value compared under NOCASE for no range of tasks_by_title: the title's
// own bound, beside it, is (else a page past the first, or a run, scans from the first title).
void add_title_bound(BuiltQuery& b, const core::TaskQuery& q, const core::Keyset& k,
                     bool from_below) {
  const auto* title = std::get_if<std::string>(&k.key);
  if (q.sort != core::SortKey::title || !title) return;
  b.sql += from_below == (q.order == core::SortOrder::asc) ? " AND t.title COLLATE NOCASE >= ?"
                                                           : " AND t.title COLLATE NOCASE <= ?";
  b.params.emplace_back(*title);
}

void add_after(BuiltQuery& b, const core::TaskQuery& q, const TaskSort& sort) {
  if (!q.after) return;
  add_title_bound(b, q, *q.after, true);
  b.sql += sort.after("?", "?");
  add_key(b, *q.after);
}

}  // namespace

bool walks_along_tags(const core::TaskQuery& q) {
  return !q.tags.empty() && q.sort == core::SortKey::created;
}

BuiltQuery build_set_sizes_query(const core::TaskQuery& q, std::int64_t cap,
                                 const Counted& counted) {
  const std::string limit = std::to_string(cap + 1);
  BuiltQuery b;
  auto& sql = b.sql;
  sql = "SELECT 0";
  if (!q.words.empty() && counted.text) {
    sql += ", (SELECT count(*) FROM (SELECT 1 FROM tasks_fts WHERE tasks_fts MATCH ? LIMIT " +
           limit + "))";
    b.params.emplace_back(fts_match_expression(q.user_id, q.words));
  }
  for (const auto& tag : q.tags) {
    if (!counted.tags) break;
    sql += ", (SELECT count(*) FROM (SELECT 1 FROM task_tags WHERE user_id = ? AND tag = ? LIMIT " +
           limit + "))";
    b.params.emplace_back(q.user_id);
    b.params.emplace_back(tag);
  }
  if (!q.priorities.empty() && counted.priority) {
    sql +=
        ", (SELECT count(*) FROM (SELECT 1 FROM tasks INDEXED BY tasks_by_priority"
        " WHERE user_id = ? AND priority";
    b.params.emplace_back(q.user_id);
    add_priorities(b, q);
    sql += " LIMIT " + limit + "))";
  }
  return b;
}

SetSizes set_sizes_of(const core::TaskQuery& q, const std::vector<std::int64_t>& row,
                      std::int64_t cap, const Counted& counted) {
  SetSizes sizes;
  std::size_t i = 1;  // after the leading 0
  const auto next = [&](bool was_counted) {
    return was_counted && i < row.size() ? row[i++] : cap + 1;
  };
  if (!q.words.empty()) sizes.text = next(counted.text);
  for (std::size_t t = 0; t < q.tags.size(); ++t) sizes.tags.push_back(next(counted.tags));
  if (!q.priorities.empty()) sizes.priority = next(counted.priority);
  return sizes;
}

BuiltQuery build_search_hits_query(const core::TaskQuery& q, std::int64_t cap) {
  BuiltQuery b;
  b.sql = "SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ? ORDER BY rowid LIMIT " +
          std::to_string(cap + 1);
  b.params.emplace_back(fts_match_expression(q.user_id, q.words));
  return b;
}

BuiltQuery build_walk_end_query(const core::TaskQuery& q, const DrivingSet& walk,
                                std::int64_t rows) {
  const bool along_tag = walk.driver == Driver::tag && walks_along_tags(q);
  const auto sort = sort_of(q, along_tag);
  BuiltQuery b;
  b.sql = "SELECT " + std::string{sort.column()} + ", " + sort.id();
  if (along_tag) {
    b.sql += " FROM task_tags g INDEXED BY task_tags_by_created WHERE g.user_id = ? AND g.tag = ?";
    b.params.emplace_back(q.user_id);
    b.params.emplace_back(q.tags.at(walk.tag));
  } else {
    b.sql += " FROM tasks t INDEXED BY " + sort_index(q) + " WHERE t.user_id = ?";
    b.params.emplace_back(q.user_id);
  }
  add_after(b, q, sort);
  b.sql += sort.order_by("1 OFFSET ?");
  b.params.emplace_back(rows - 1);
  return b;
}

BuiltQuery build_task_query(const core::TaskQuery& q, const ListingPlan& plan) {
  const auto& start = plan.from;
  const bool along_tag = start.driver == Driver::tag && walks_along_tags(q);
  BuiltQuery b;
  auto& sql = b.sql;
  switch (start.driver) {
    case Driver::text:
      // CROSS JOIN keeps the search hits the outer loop: a few of them, then sorted.
      sql = select_columns(k_task_columns,
                           " FROM tasks_fts f CROSS JOIN tasks t ON t.id = f.rowid"
                           " WHERE f.tasks_fts MATCH ? AND t.user_id = ?");
      b.params.emplace_back(fts_match_expression(q.user_id, q.words));
      break;
    case Driver::tag:
      if (along_tag) {
        // The tag's entries in created order are the outer loop: a walk, no sort.
        sql = select_columns(k_task_columns,
                             " FROM task_tags g INDEXED BY task_tags_by_created"
                             " CROSS JOIN tasks t ON t.id = g.task_id"
                             " WHERE g.user_id = ? AND g.tag = ?");
      } else {
        // The tag's rows, then sorted.
        sql = select_columns(k_task_columns,
                             " FROM task_tags g CROSS JOIN tasks t ON t.id = g.task_id"
                             " WHERE g.user_id = ? AND g.tag = ? AND t.user_id = ?");
      }
      b.params.emplace_back(q.user_id);
      b.params.emplace_back(q.tags.at(start.tag));
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
  if (!along_tag) b.params.emplace_back(q.user_id);

  // Along a tag, status, priority, further tags and a search's hits are tested on the tag's
  // entry, before the row is read.
  const char* entry = along_tag ? "g" : "t";
  const std::string id = along_tag ? "g.task_id" : "t.id";
  if (q.status) {
    sql += std::string{" AND "} + entry + ".status = ?";
    b.params.emplace_back(status_code(*q.status));
  }
  if (!q.priorities.empty()) {
    // Unary + keeps the filter residual on a walk: an IN on the sort column would split the
    // index walk into ranges and force a sort.
    sql += start.driver == Driver::priority ? std::string{" AND t.priority"}
                                            : std::string{" AND +"} + entry + ".priority";
    add_priorities(b, q);
  }
  for (std::size_t i = 0; i < q.tags.size(); ++i) {
    if (start.driver == Driver::tag && i == start.tag) continue;
    sql +=
        " AND EXISTS (SELECT 1 FROM task_tags WHERE user_id = ? AND tag = ? AND task_id = " + id +
        ")";
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
    if (plan.hits) {
      // Few hits: tested on the index entry, before the row is read.
      sql += " AND tickler_in(" + id + ", ?)";
      b.params.emplace_back(*plan.hits);
    } else {
      // Many hits: each task walked is tested, a page fills after few of them.
      sql += " AND tickler_match(t.title, t.description, t.tags, ?)";
      b.params.emplace_back(encode_phrases(q.words));
    }
  }

  const auto sort = sort_of(q, along_tag);
  add_after(b, q, sort);
  if (plan.through) {
    add_title_bound(b, q, *plan.through, false);
    sql += sort.through("?", "?");
    add_key(b, *plan.through);
  }
  sql += sort.order_by("?");
  b.params.emplace_back(static_cast<std::int64_t>(q.limit) + 1);
  return b;
}

}  // namespace tickler::store::sqlite
