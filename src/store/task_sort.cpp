#include "store/task_sort.hpp"

namespace tickler::store {
namespace {

std::string sort_column(core::SortKey key, std::string title_column, std::string_view table) {
  const auto in_table = [&](const char* column) {
    std::string out{table};
    out += '.';
    out += column;
    return out;
  };
  switch (key) {
    case core::SortKey::due:
      return in_table("due_sort");
    case core::SortKey::priority:
      return in_table("priority");
    case core::SortKey::title:
      return title_column;
    case core::SortKey::created:
      return in_table("created_at");
  }
  return in_table("created_at");
}

}  // namespace

TaskSort::TaskSort(const core::TaskQuery& query, std::string title_column, std::string_view table,
                   std::string_view id)
    : column_(sort_column(query.sort, std::move(title_column), table)),
      id_(std::string{table} + "." + std::string{id}),
      ascending_(query.order == core::SortOrder::asc) {}

std::string TaskSort::compare(std::string_view op, std::string_view key,
                              std::string_view id) const {
  std::string out = " AND (";
  out += column_;
  out += ", ";
  out += id_;
  out += ") ";
  out += op;
  out += " (";
  out += key;
  out += ", ";
  out += id;
  out += ')';
  return out;
}

std::string TaskSort::after(std::string_view key, std::string_view id) const {
  return compare(ascending_ ? ">" : "<", key, id);
}

std::string TaskSort::through(std::string_view key, std::string_view id) const {
  return compare(ascending_ ? "<=" : ">=", key, id);
}

std::string TaskSort::order_by(std::string_view limit) const {
  const char* dir = ascending_ ? " ASC" : " DESC";
  std::string out = " ORDER BY ";
  out += column_;
  out += dir;
  out += ", ";
  out += id_;
  out += dir;
  out += " LIMIT ";
  out += limit;
  return out;
}

}  // namespace tickler::store
