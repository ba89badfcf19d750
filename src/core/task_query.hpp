#pragma once
// What a task listing asks for: filters, sort, page size and the keyset position to start after.
// Built by the api from query parameters, executed by a Store.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/task.hpp"

namespace tickler::core {

enum class SortKey { due, priority, title, created };
enum class SortOrder { asc, desc };

// The sort-key value of the last task of a page plus its id: the next page starts after it.
// due: due_at millis or nullopt (no date); priority: rank; title: title; created: millis.
struct Keyset {
  std::variant<std::monostate, std::int64_t, std::string> key;
  TaskId id = 0;
  bool operator==(const Keyset&) const = default;
};

struct TaskQuery {
  UserId user_id = 0;
  std::vector<std::string> words;    // full-text terms, each must match
  std::optional<TaskStatus> status;  // nullopt = all
  std::vector<Priority> priorities;  // any of them; empty = any
  std::vector<std::string> tags;     // every one of them
  std::optional<Instant> due_before;
  std::optional<Instant> due_after;
  std::optional<bool> has_due;  // true: only tasks with a due date; false: only those without
  SortKey sort = SortKey::created;
  SortOrder order = SortOrder::desc;
  int limit = 50;
  std::optional<Keyset> after;
};

struct TaskPage {
  std::vector<Task> items;
  std::optional<Keyset> next;  // set when more may follow
};

struct TagCount {
  std::string tag;
  std::int64_t count = 0;
};

[[nodiscard]] SortOrder default_order(SortKey key);
[[nodiscard]] std::optional<SortKey> parse_sort_key(std::string_view s);
[[nodiscard]] std::optional<SortOrder> parse_sort_order(std::string_view s);
[[nodiscard]] std::string_view to_string(SortKey k);
[[nodiscard]] std::string_view to_string(SortOrder o);
// The keyset value of a task under a sort key.
[[nodiscard]] Keyset keyset_of(const Task& t, SortKey key);

}  // namespace tickler::core
