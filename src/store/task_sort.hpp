#pragma once
// How a task listing walks its sort key, the same in both schemas: each key has an index on
// (user_id, column, id), a page is ordered by (column, id) in the listing's direction, and the
// next page continues strictly after the previous page's last (key, id), the keyset cursor.
// The engines build the rest of the statement (filters, placeholders, the cursor's values).
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/task_query.hpp"

namespace tickler::store {

// due_sort of a task without a due date (coalesce(due_at, this) in both schemas): such tasks
// sort after every date. A cursor past such a task carries this key.
inline constexpr std::int64_t k_no_due_sort = std::numeric_limits<std::int64_t>::max();

class TaskSort {
 public:
  // title_column: the engine's expression ordering titles as SQLite's NOCASE does. table and id:
  // where the keys are read (a table holding a copy of each task's keys names its id otherwise).
  TaskSort(const core::TaskQuery& query, std::string title_column, std::string_view table = "t",
           std::string_view id = "id");

  // The column the listing walks: t.due_sort, t.priority, the title column or t.created_at.
  [[nodiscard]] const char* column() const { return column_.c_str(); }
  // The task id beside it: t.id.
  [[nodiscard]] const std::string& id() const { return id_; }
  // " AND (column, t.id) > (key, id)" (< when descending): the rows after the cursor, whose key
  // and id the engine gives as placeholders or expressions.
  [[nodiscard]] std::string after(std::string_view key, std::string_view id) const;
  // " AND (column, t.id) <= (key, id)" (>= when descending): the rows up to a bound, inclusive
  // (the last row of a walk's run).
  [[nodiscard]] std::string through(std::string_view key, std::string_view id) const;
  // " ORDER BY column ASC, t.id ASC LIMIT limit" (DESC when descending).
  [[nodiscard]] std::string order_by(std::string_view limit) const;

 private:
  [[nodiscard]] std::string compare(std::string_view op, std::string_view key,
                                    std::string_view id) const;

  std::string column_;
  std::string id_;
  bool ascending_;
};

}  // namespace tickler::store
