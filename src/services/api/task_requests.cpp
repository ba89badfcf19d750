#include "services/api/task_requests.hpp"

#include "http/json_fields.hpp"
#include "wire/task_json.hpp"

namespace tickler::services::api {
namespace {

using http::JsonFields;

core::Result<std::optional<core::Priority>> priority_field(const JsonFields& f) {
  auto raw = f.string("priority");
  if (!raw) return raw.error();
  if (!*raw) return std::optional<core::Priority>{};
  auto p = core::parse_priority(**raw);
  if (!p) return core::field_error("priority", "must be one of high, medium, low, none");
  return std::optional<core::Priority>{*p};
}

// Absent → nullopt; null → optional holding nullopt; a string → the instant or an error.
core::Result<std::optional<std::optional<core::Instant>>> due_field(const JsonFields& f) {
  using Out = std::optional<std::optional<core::Instant>>;
  if (!f.has("due_at")) return Out{};
  if (f.is_null("due_at")) return Out{std::optional<core::Instant>{}};
  auto raw = f.string("due_at");
  if (!raw) return raw.error();
  auto t = core::parse_rfc3339(**raw);
  if (!t) {
    return core::field_error("due_at", "must be an RFC 3339 date-time like 2026-12-01T09:00:00Z");
  }
  return Out{std::optional<core::Instant>{*t}};
}

core::Status only_task_fields(const JsonFields& f) {
  return f.only({"title", "description", "priority", "tags", "due_at", "time_zone", "reminders",
                 "recurrence"});
}

// Absent → nullopt; null → optional holding nullopt (stop recurring); an object → the rule.
core::Result<std::optional<std::optional<core::Recurrence>>> recurrence_field(
    const boost::json::object& body) {
  using Out = std::optional<std::optional<core::Recurrence>>;
  const auto* v = body.if_contains("recurrence");
  if (!v) return Out{};
  if (v->is_null()) return Out{std::optional<core::Recurrence>{}};
  auto r = wire::recurrence_from_json(*v);
  if (!r) return r.error();
  return Out{std::optional<core::Recurrence>{std::move(*r)}};
}

core::Result<std::optional<std::vector<core::ReminderSpec>>> reminders_field(
    const boost::json::object& body) {
  using Out = std::optional<std::vector<core::ReminderSpec>>;
  const auto* v = body.if_contains("reminders");
  if (!v) return Out{};
  auto r = wire::reminders_from_json(*v);
  if (!r) return r.error();
  return Out{std::move(*r)};
}

}  // namespace

bool is_quick_add(const boost::json::object& body) {
  return body.contains("quick");
}

core::Result<core::QuickAddResult> quick_from_json(const boost::json::object& body,
                                                   core::Instant now, std::string& time_zone) {
  JsonFields f{body};
  if (auto st = f.only({"quick", "time_zone"}); !st) return st.error();
  auto quick = f.required_string("quick");
  if (!quick) return quick.error();
  auto tz = f.string("time_zone");
  if (!tz) return tz.error();
  time_zone = tz->value_or("UTC");
  return core::parse_quick_add(*quick, now, time_zone);
}

core::TaskDraft draft_from_quick(const core::QuickAddResult& quick, std::string time_zone) {
  core::TaskDraft d;
  d.title = quick.title;
  d.tags = quick.tags;
  d.priority = quick.priority.value_or(core::Priority::none);
  d.due_at = quick.due_at;
  d.time_zone = std::move(time_zone);
  for (int minutes : quick.remind_before_minutes) d.reminders.push_back({minutes, std::nullopt});
  if (quick.rrule) {
    d.recurrence = core::Recurrence{
        *quick.rrule, core::parse_recurrence_mode(quick.recurrence_mode.value_or("schedule"))
                          .value_or(core::RecurrenceMode::schedule)};
  }
  return d;
}

boost::json::object quick_to_json(const core::QuickAddResult& q) {
  boost::json::array tags;
  for (const auto& t : q.tags) tags.emplace_back(t);
  boost::json::array reminders;
  for (int m : q.remind_before_minutes)
    reminders.push_back(boost::json::object{{"before_minutes", m}});
  boost::json::value due = nullptr;
  if (q.due_at) due = core::format_rfc3339(*q.due_at);
  boost::json::value recurrence = nullptr;
  if (q.rrule) {
    recurrence =
        boost::json::object{{"rrule", *q.rrule}, {"mode", q.recurrence_mode.value_or("schedule")}};
  }
  return {{"title", q.title},
          {"tags", std::move(tags)},
          {"priority", core::to_string(q.priority.value_or(core::Priority::none))},
          {"due_at", std::move(due)},
          {"recurrence", std::move(recurrence)},
          {"reminders", std::move(reminders)}};
}

core::Result<core::TaskDraft> draft_from_json(const boost::json::object& body) {
  JsonFields f{body};
  if (auto st = only_task_fields(f); !st) return st.error();
  core::TaskDraft d;
  auto title = f.required_string("title");
  if (!title) return title.error();
  d.title = std::move(*title);
  auto desc = f.string("description");
  if (!desc) return desc.error();
  if (*desc) d.description = std::move(**desc);
  auto prio = priority_field(f);
  if (!prio) return prio.error();
  if (*prio) d.priority = **prio;
  auto tags = f.string_list("tags");
  if (!tags) return tags.error();
  if (*tags) d.tags = std::move(**tags);
  auto due = due_field(f);
  if (!due) return due.error();
  if (*due) d.due_at = **due;
  auto tz = f.string("time_zone");
  if (!tz) return tz.error();
  if (*tz) d.time_zone = std::move(**tz);
  auto reminders = reminders_field(body);
  if (!reminders) return reminders.error();
  if (*reminders) d.reminders = std::move(**reminders);
  auto recurrence = recurrence_field(body);
  if (!recurrence) return recurrence.error();
  if (*recurrence) d.recurrence = std::move(**recurrence);
  if (auto st = core::validate(d); !st) return st.error();
  return d;
}

core::Result<core::TaskPatch> patch_from_json(const boost::json::object& body) {
  JsonFields f{body};
  if (auto st = only_task_fields(f); !st) return st.error();
  core::TaskPatch p;
  for (auto key : {"title", "description", "time_zone"}) {
    if (f.is_null(key)) return core::field_error(key, "must not be null");
  }
  auto title = f.string("title");
  if (!title) return title.error();
  p.title = std::move(*title);
  auto desc = f.string("description");
  if (!desc) return desc.error();
  p.description = std::move(*desc);
  auto prio = priority_field(f);
  if (!prio) return prio.error();
  p.priority = *prio;
  auto tags = f.string_list("tags");
  if (!tags) return tags.error();
  p.tags = std::move(*tags);
  auto due = due_field(f);
  if (!due) return due.error();
  p.due_at = *due;
  auto tz = f.string("time_zone");
  if (!tz) return tz.error();
  p.time_zone = std::move(*tz);
  auto reminders = reminders_field(body);
  if (!reminders) return reminders.error();
  p.reminders = std::move(*reminders);
  auto recurrence = recurrence_field(body);
  if (!recurrence) return recurrence.error();
  p.recurrence = std::move(*recurrence);
  if (auto st = core::validate(p); !st) return st.error();
  return p;
}

}  // namespace tickler::services::api
