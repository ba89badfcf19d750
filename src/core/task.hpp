#pragma once
// The Task aggregate and its enums. Plain data; rules live in validation.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/recurrence.hpp"
#include "core/time.hpp"

namespace tickler::core {

using UserId = std::int64_t;
using TaskId = std::int64_t;

enum class TaskStatus { pending, completed };
// Ordered by rank so that sorting by the enum value sorts by importance.
enum class Priority { none = 0, low = 1, medium = 2, high = 3 };

// A reminder of a task: at an absolute instant, or some minutes before the due time.
struct ReminderSpec {
  std::optional<int> before_minutes;
  std::optional<Instant> at;
  bool operator==(const ReminderSpec&) const = default;
};

struct Task {
  TaskId id = 0;
  UserId user_id = 0;
  std::string title;
  std::string description;
  TaskStatus status = TaskStatus::pending;
  Priority priority = Priority::none;
  std::vector<std::string> tags;
  std::optional<Instant> due_at;
  std::string time_zone = "UTC";
  Instant created_at{};
  Instant updated_at{};
  std::optional<Instant> completed_at;
  std::int64_t version = 1;
  std::vector<ReminderSpec> reminders;
  std::optional<Recurrence> recurrence;
  // A recurring task belongs to a series: the id of its first task, that task's due (the
  // rule's DTSTART) and this task's position in the series.
  std::optional<TaskId> series_id;
  std::optional<Instant> series_start;
  int occurrence_index = 0;
};

struct User {
  UserId id = 0;
  std::string email;
  std::string name;
  std::string password_hash;
  Instant created_at{};
  // Every token carries the generation it was issued under; moving it revokes older tokens.
  std::int64_t token_generation = 0;
  bool disabled = false;  // tokens refused, logins answered account_disabled
};

[[nodiscard]] std::string_view to_string(TaskStatus s);
[[nodiscard]] std::string_view to_string(Priority p);
[[nodiscard]] std::optional<TaskStatus> parse_status(std::string_view s);
[[nodiscard]] std::optional<Priority> parse_priority(std::string_view s);

}  // namespace tickler::core
