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
  // title_column: the engine's expression ordering titles as SQLite's NOCASE does.
  TaskSort(const core::TaskQuery& query, const char* title_column);

  // The column the listing walks: t.due_sort, t.priority, the title column or t.created_at.
  [[nodiscard]] const char* column() const { return column_; }
  // " AND (column, t.id) > (key, id)" (< when descending): the rows after the cursor, whose key
  // and id the engine gives as placeholders or expressions.
  [[nodiscard]] std::string after(std::string_view key, std::string_view id) const;
  // " ORDER BY column ASC, t.id ASC LIMIT limit" (DESC when descending).
  [[nodiscard]] std::string order_by(std::string_view limit) const;

 private:
  const char* column_;
  bool ascending_;
};

}  // namespace tickler::store
