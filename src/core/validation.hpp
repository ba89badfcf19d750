#pragma once
// The rules of the domain for user input: they normalize and check values and return errors as
// values (field_error), never throw. Parsing the wire format is the caller's job.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::core {

inline constexpr std::size_t k_max_title_chars = 200;
inline constexpr std::size_t k_max_description_chars = 1000;
inline constexpr std::size_t k_max_tags = 20;
inline constexpr std::size_t k_max_tag_chars = 40;
inline constexpr std::size_t k_max_name_chars = 100;
inline constexpr std::size_t k_min_password_chars = 8;
inline constexpr std::size_t k_max_password_chars = 128;
inline constexpr std::size_t k_max_reminders = 50;
inline constexpr int k_max_before_minutes = 366 * 24 * 60;

// The fields a client gives when it creates a task.
struct TaskDraft {
  std::string title;
  std::string description;
  Priority priority = Priority::none;
  std::vector<std::string> tags;
  std::optional<Instant> due_at;
  std::string time_zone = "UTC";
  std::vector<ReminderSpec> reminders;
  std::optional<Recurrence> recurrence;
};

// A partial update; a field left nullopt is unchanged. due_at holds nullopt-inside to clear it.
struct TaskPatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<Priority> priority;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::optional<Instant>> due_at;
  std::optional<std::string> time_zone;
  std::optional<std::vector<ReminderSpec>> reminders;
  std::optional<std::optional<Recurrence>> recurrence;  // holds nullopt to stop recurring
  [[nodiscard]] bool empty() const {
    return !title && !description && !priority && !tags && !due_at && !time_zone && !reminders &&
           !recurrence;
  }
};

// Number of Unicode code points in valid UTF-8.
[[nodiscard]] std::size_t utf8_length(std::string_view s);

[[nodiscard]] Result<std::string> normalize_title(std::string_view raw);
[[nodiscard]] Result<std::string> check_description(std::string_view raw);
[[nodiscard]] Result<std::string> normalize_tag(std::string_view raw);
[[nodiscard]] Result<std::vector<std::string>> normalize_tags(const std::vector<std::string>& raw);
[[nodiscard]] Status check_time_zone(std::string_view name);
[[nodiscard]] Status check_reminders(const std::vector<ReminderSpec>& reminders);
// Rules across fields of a whole task (after create or patch): a recurrence needs a due date.
[[nodiscard]] Status check_task(const Task& task);
// A write that gives a recurring task a new rule, due date or zone (or creates it; before is then
// null) starts checking the series' cost: check_recurrence_cost in core/recurrence.hpp.
[[nodiscard]] Status check_series_cost(const Task* before, const Task& after, Instant now);
[[nodiscard]] Result<std::string> normalize_email(std::string_view raw);
[[nodiscard]] Status check_password(std::string_view password);
[[nodiscard]] Result<std::string> normalize_name(std::string_view raw);

// Normalizes every field of a draft in place; the first broken rule is returned.
[[nodiscard]] Status validate(TaskDraft& draft);
[[nodiscard]] Status validate(TaskPatch& patch);

// A new pending task from a valid draft, owned by user, created at `at`.
[[nodiscard]] Task make_task(UserId user, TaskDraft draft, Instant at);
// Applies a valid patch; returns true when anything changed (then version and updated_at move).
bool apply_patch(Task& task, TaskPatch patch, Instant at);
// Status transitions; return true when the task changed.
bool complete(Task& task, Instant at);
bool reopen(Task& task, Instant at);

}  // namespace tickler::core
