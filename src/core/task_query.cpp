#include "core/task_query.hpp"

namespace tickler::core {

SortOrder default_order(SortKey key) {
  switch (key) {
    case SortKey::due:
    case SortKey::title:
      return SortOrder::asc;
    case SortKey::priority:
    case SortKey::created:
      return SortOrder::desc;
  }
  return SortOrder::asc;
}

std::optional<SortKey> parse_sort_key(std::string_view s) {
  if (s == "due") return SortKey::due;
  if (s == "priority") return SortKey::priority;
  if (s == "title") return SortKey::title;
  if (s == "created") return SortKey::created;
  return std::nullopt;
}

std::optional<SortOrder> parse_sort_order(std::string_view s) {
  if (s == "asc") return SortOrder::asc;
  if (s == "desc") return SortOrder::desc;
  return std::nullopt;
}

std::string_view to_string(SortKey k) {
  switch (k) {
    case SortKey::due:
      return "due";
    case SortKey::priority:
      return "priority";
    case SortKey::title:
      return "title";
    case SortKey::created:
      return "created";
  }
  return "created";
}

std::string_view to_string(SortOrder o) {
  return o == SortOrder::asc ? "asc" : "desc";
}

Keyset keyset_of(const Task& t, SortKey key) {
  switch (key) {
    case SortKey::due:
      if (t.due_at) return {to_millis(*t.due_at), t.id};
      return {std::monostate{}, t.id};
    case SortKey::priority:
      return {static_cast<std::int64_t>(t.priority), t.id};
    case SortKey::title:
      return {t.title, t.id};
    case SortKey::created:
      return {to_millis(t.created_at), t.id};
  }
  return {std::monostate{}, t.id};
}

}  // namespace tickler::core
