#include "core/task.hpp"

namespace tickler::core {

std::string_view to_string(TaskStatus s) {
  return s == TaskStatus::completed ? "completed" : "pending";
}

std::string_view to_string(Priority p) {
  switch (p) {
    case Priority::high:
      return "high";
    case Priority::medium:
      return "medium";
    case Priority::low:
      return "low";
    case Priority::none:
      return "none";
  }
  return "none";
}

std::optional<TaskStatus> parse_status(std::string_view s) {
  if (s == "pending") return TaskStatus::pending;
  if (s == "completed") return TaskStatus::completed;
  return std::nullopt;
}

std::optional<Priority> parse_priority(std::string_view s) {
  if (s == "high") return Priority::high;
  if (s == "medium") return Priority::medium;
  if (s == "low") return Priority::low;
  if (s == "none") return Priority::none;
  return std::nullopt;
}

}  // namespace tickler::core
