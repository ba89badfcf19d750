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

}  // namespace

BuiltQuery build_task_query(const core::TaskQuery& q) {
  BuiltQuery b;
  Builder p{b};
  auto& sql = b.sql;
  sql = select_columns(k_task_columns, " FROM tasks t WHERE t.user_id = ") + p.param(q.user_id);

  if (q.status) {
    sql += " AND t.status = " + p.param(status_code(*q.status));
  }
  if (!q.priorities.empty()) {
    sql += " AND t.priority IN (";
    for (std::size_t i = 0; i < q.priorities.size(); ++i) {
      if (i) sql += ", ";
      sql += p.param(static_cast<std::int64_t>(q.priorities[i]));
    }
    sql += ")";
  }
  if (!q.tags.empty()) {
    if (std::all_of(q.tags.begin(), q.tags.end(), storable_text)) {
      sql += " AND t.tags @> " + p.param(to_pg_array(q.tags)) + "::text[]";
    } else {
      sql += " AND false";
    }
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

  const TaskSort sort{q, "t.title_key"};
  if (q.after) {
    // Keys of another type compare as SQLite compares them: every number sorts before every
    // text, so a text key after a number key (or the reverse) ends or spans the listing.
    const auto& k = q.after->key;
    std::string key;
    std::int64_t id = q.after->id;
    if (q.sort == core::SortKey::title) {
      const auto* s = std::get_if<std::string>(&k);
      key = std::string{"translate("} + p.param(s ? *s : std::string{}) + "::text, " +
            k_nocase_from + ", " + k_nocase_to + ") COLLATE \"C\"";
    } else if (const auto* i = std::get_if<std::int64_t>(&k)) {
      key = p.param(*i);
    } else {
      if (std::holds_alternative<std::string>(k)) id = k_no_due_sort;
      key = p.param(k_no_due_sort);  // no due date (or a text key): after every number
    }
    sql += sort.after(key, p.param(id));
  }
  sql += sort.order_by(p.param(static_cast<std::int64_t>(q.limit) + 1));
  return b;
}

}  // namespace tickler::store::postgres
