#include "store/task_sort.hpp"

namespace tickler::store {
namespace {

const char* sort_column(core::SortKey key, const char* title_column) {
  switch (key) {
    case core::SortKey::due:
      return "t.due_sort";
    case core::SortKey::priority:
      return "t.priority";
    case core::SortKey::title:
      return title_column;
    case core::SortKey::created:
      return "t.created_at";
  }
  return "t.created_at";
}

}  // namespace

TaskSort::TaskSort(const core::TaskQuery& query, const char* title_column)
    : column_(sort_column(query.sort, title_column)),
      ascending_(query.order == core::SortOrder::asc) {}

std::string TaskSort::after(std::string_view key, std::string_view id) const {
  std::string out = " AND (";
  out += column_;
  out += ", t.id) ";
  out += ascending_ ? '>' : '<';
  out += " (";
  out += key;
  out += ", ";
  out += id;
  out += ')';
  return out;
}

std::string TaskSort::order_by(std::string_view limit) const {
  const char* dir = ascending_ ? " ASC" : " DESC";
  std::string out = " ORDER BY ";
  out += column_;
  out += dir;
  out += ", t.id";
  out += dir;
  out += " LIMIT ";
  out += limit;
  return out;
}

}  // namespace tickler::store
