#include "core/validation.hpp"

#include <algorithm>

#include "core/recurrence.hpp"

namespace tickler::core {
namespace {

constexpr std::string_view k_space = " \t\r\n\f\v";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(k_space);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(k_space);
  return s.substr(first, last - first + 1);
}

bool has_control(std::string_view s, bool allow_newlines) {
  return std::any_of(s.begin(), s.end(), [&](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\t' || c == '\r')) return false;
    return u < 0x20 || u == 0x7f;
  });
}

std::string range_problem(std::size_t min, std::size_t max) {
  return "must be " + std::to_string(min) + "–" + std::to_string(max) + " characters";
}

void touch(Task& task, Instant at) {
  task.updated_at = at;
  ++task.version;
}

}  // namespace

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Result<std::string> normalize_title(std::string_view raw) {
  const auto t = trim(raw);
  const auto n = utf8_length(t);
  if (n == 0 || n > k_max_title_chars) {
    // The length lets a client say "231 of 200 characters" without counting as we do.
    auto error = field_error("title", range_problem(1, k_max_title_chars) + " after trimming");
    error.details["length"] = static_cast<std::int64_t>(n);
    error.details["max"] = static_cast<std::int64_t>(k_max_title_chars);
    return error;
  }
  if (has_control(t, false)) return field_error("title", "must not contain control characters");
  return std::string{t};
}

Result<std::string> check_description(std::string_view raw) {
  if (utf8_length(raw) > k_max_description_chars) {
    return field_error("description", "must be at most 1000 characters");
  }
  if (has_control(raw, true)) {
    return field_error("description", "must not contain control characters other than newlines");
  }
  return std::string{raw};
}

Result<std::string> normalize_tag(std::string_view raw) {
  auto t = trim(raw);
  if (!t.empty() && t.front() == '#') t.remove_prefix(1);
  std::string tag{t};
  std::transform(tag.begin(), tag.end(), tag.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const auto n = utf8_length(tag);
  if (n == 0 || n > k_max_tag_chars) return field_error("tags", "each tag " + range_problem(1, 40));
  const bool bad = std::any_of(tag.begin(), tag.end(), [](char c) {
    return c == ',' || c == '#' || k_space.find(c) != std::string_view::npos;
  });
  if (bad || has_control(tag, false)) {
    return field_error("tags", "a tag must not contain white space, ',' or '#': '" + tag + "'");
  }
  return tag;
}

Result<std::vector<std::string>> normalize_tags(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& r : raw) {
    auto tag = normalize_tag(r);
    if (!tag) return tag.error();
    if (std::find(out.begin(), out.end(), *tag) == out.end()) out.push_back(std::move(*tag));
  }
  if (out.size() > k_max_tags) return field_error("tags", "at most 20 tags per task");
  return out;
}

Status check_time_zone(std::string_view name) {
  if (!is_known_time_zone(name)) {
    return field_error("time_zone", "unknown IANA time zone '" + std::string{name} + "'");
  }
  return {};
}

Status check_reminders(const std::vector<ReminderSpec>& reminders) {
  if (reminders.size() > k_max_reminders) return field_error("reminders", "at most 50 reminders");
  for (const auto& r : reminders) {
    if (r.before_minutes && (*r.before_minutes < 0 || *r.before_minutes > k_max_before_minutes)) {
      return field_error("reminders", "before_minutes must be 0 to 527040 (366 days)");
    }
  }
  return {};
}

Status check_task(const Task& task) {
  if (task.recurrence && !task.due_at) {
    return field_error("recurrence", "a recurring task needs a due_at to start from");
  }
  return {};
}

Status check_series_cost(const Task* before, const Task& after, Instant now) {
  if (!after.recurrence || !after.due_at) return {};
  if (before && before->recurrence == after.recurrence && before->due_at == after.due_at &&
      before->time_zone == after.time_zone) {
    return {};
  }
  return check_recurrence_cost(*after.recurrence, after.time_zone, *after.due_at, now);
}

Result<std::string> normalize_email(std::string_view raw) {
  std::string email{trim(raw)};
  std::transform(email.begin(), email.end(), email.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const auto at = email.find('@');
  const bool shaped = at != std::string::npos && at > 0 && at == email.rfind('@') &&
                      at + 1 < email.size() && email.size() <= 254 &&
                      email.find_first_of(k_space) == std::string::npos &&
                      !has_control(email, false);
  if (!shaped) return field_error("email", "must be an email address like name@example.com");
  return email;
}

Status check_password(std::string_view password) {
  const auto n = utf8_length(password);
  if (n < k_min_password_chars || n > k_max_password_chars) {
    return field_error("password", range_problem(k_min_password_chars, k_max_password_chars));
  }
  return {};
}

Result<std::string> normalize_name(std::string_view raw) {
  const auto t = trim(raw);
  if (utf8_length(t) > k_max_name_chars)
    return field_error("name", "must be at most 100 characters");
  if (has_control(t, false)) return field_error("name", "must not contain control characters");
  return std::string{t};
}

Status validate(TaskDraft& draft) {
  auto title = normalize_title(draft.title);
  if (!title) return title.error();
  draft.title = std::move(*title);
  if (auto d = check_description(draft.description); !d) return d.error();
  auto tags = normalize_tags(draft.tags);
  if (!tags) return tags.error();
  draft.tags = std::move(*tags);
  if (auto st = check_reminders(draft.reminders); !st) return st;
  return check_time_zone(draft.time_zone);
}

Status validate(TaskPatch& patch) {
  if (patch.title) {
    auto title = normalize_title(*patch.title);
    if (!title) return title.error();
    patch.title = std::move(*title);
  }
  if (patch.description) {
    if (auto d = check_description(*patch.description); !d) return d.error();
  }
  if (patch.tags) {
    auto tags = normalize_tags(*patch.tags);
    if (!tags) return tags.error();
    patch.tags = std::move(*tags);
  }
  if (patch.reminders) {
    if (auto st = check_reminders(*patch.reminders); !st) return st;
  }
  if (patch.time_zone) return check_time_zone(*patch.time_zone);
  return {};
}

Task make_task(UserId user, TaskDraft draft, Instant at) {
  Task t;
  t.user_id = user;
  t.title = std::move(draft.title);
  t.description = std::move(draft.description);
  t.priority = draft.priority;
  t.tags = std::move(draft.tags);
  t.due_at = draft.due_at;
  t.time_zone = std::move(draft.time_zone);
  t.reminders = std::move(draft.reminders);
  t.recurrence = std::move(draft.recurrence);
  if (t.recurrence) t.series_start = t.due_at;
  t.created_at = at;
  t.updated_at = at;
  t.version = 1;
  return t;
}

bool apply_patch(Task& task, TaskPatch patch, Instant at) {
  bool changed = false;
  auto set = [&changed](auto& field, auto& value) {
    if (value && field != *value) {
      field = std::move(*value);
      changed = true;
    }
  };
  set(task.title, patch.title);
  set(task.description, patch.description);
  set(task.priority, patch.priority);
  set(task.tags, patch.tags);
  set(task.due_at, patch.due_at);
  set(task.time_zone, patch.time_zone);
  set(task.reminders, patch.reminders);
  const bool rule_changed = patch.recurrence && task.recurrence != *patch.recurrence;
  set(task.recurrence, patch.recurrence);
  // Editing the rule (or the due date of a recurring task) starts a new series at this task, so
  // later occurrences follow the new rule and never collide with the old series' keys.
  if (task.recurrence && (rule_changed || patch.due_at)) {
    task.series_id = task.id;
    task.series_start = task.due_at;
    task.occurrence_index = 0;
  }
  if (changed) touch(task, at);
  return changed;
}

bool complete(Task& task, Instant at) {
  if (task.status == TaskStatus::completed) return false;
  task.status = TaskStatus::completed;
  task.completed_at = at;
  touch(task, at);
  return true;
}

bool reopen(Task& task, Instant at) {
  if (task.status == TaskStatus::pending) return false;
  task.status = TaskStatus::pending;
  task.completed_at.reset();
  touch(task, at);
  return true;
}

}  // namespace tickler::core
