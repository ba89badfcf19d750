#include "wire/task_json.hpp"

#include <boost/json.hpp>

#include "core/validation.hpp"

namespace tickler::wire {
namespace {

boost::json::value instant_or_null(const std::optional<core::Instant>& t) {
  if (!t) return nullptr;
  return boost::json::value(core::format_rfc3339(*t));
}

const boost::json::value* member(const boost::json::object& o, std::string_view key) {
  return o.if_contains(key);
}

core::Result<std::optional<core::Instant>> instant_member(const boost::json::object& o,
                                                          std::string_view key) {
  const auto* v = member(o, key);
  if (!v || v->is_null()) return std::optional<core::Instant>{};
  if (!v->is_string()) return core::field_error(std::string{key}, "must be an RFC 3339 string");
  auto t = core::parse_rfc3339(v->as_string());
  if (!t) return core::field_error(std::string{key}, "must be an RFC 3339 date-time");
  return std::optional<core::Instant>{*t};
}

}  // namespace

boost::json::array reminders_to_json(const std::vector<core::ReminderSpec>& reminders) {
  boost::json::array out;
  for (const auto& r : reminders) {
    if (r.before_minutes) {
      out.push_back(boost::json::object{{"before_minutes", *r.before_minutes}});
    } else if (r.at) {
      out.push_back(boost::json::object{{"at", core::format_rfc3339(*r.at)}});
    }
  }
  return out;
}

boost::json::object task_to_json(const core::Task& t, boost::json::storage_ptr sp) {
  boost::json::array tags(sp);
  tags.reserve(t.tags.size());
  for (const auto& tag : t.tags) tags.emplace_back(tag);
  boost::json::value recurrence = nullptr;
  if (t.recurrence) {
    recurrence = boost::json::object{{"rrule", t.recurrence->rrule},
                                     {"mode", core::to_string(t.recurrence->mode)}};
  }
  boost::json::object o({{"id", t.id},
                         {"title", t.title},
                         {"description", t.description},
                         {"status", core::to_string(t.status)},
                         {"priority", core::to_string(t.priority)},
                         {"tags", std::move(tags)},
                         {"due_at", instant_or_null(t.due_at)},
                         {"time_zone", t.time_zone},
                         {"reminders", reminders_to_json(t.reminders)},
                         {"recurrence", std::move(recurrence)},
                         {"created_at", core::format_rfc3339(t.created_at)},
                         {"updated_at", core::format_rfc3339(t.updated_at)},
                         {"completed_at", instant_or_null(t.completed_at)},
                         {"version", t.version}},
                        sp);
  if (t.series_id) {
    o["series_id"] = *t.series_id;
    o["series_start"] = instant_or_null(t.series_start);
    o["occurrence_index"] = t.occurrence_index;
  }
  return o;
}

boost::json::object user_to_json(const core::User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"created_at", core::format_rfc3339(u.created_at)}};
}

core::Result<std::vector<core::ReminderSpec>> reminders_from_json(const boost::json::value& v) {
  if (v.is_null()) return std::vector<core::ReminderSpec>{};
  if (!v.is_array()) return core::field_error("reminders", "must be an array");
  std::vector<core::ReminderSpec> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object() || item.as_object().size() != 1) {
      return core::field_error(
          "reminders", "each reminder is {\"before_minutes\": N} or {\"at\": \"<RFC 3339>\"}");
    }
    const auto& o = item.as_object();
    core::ReminderSpec r;
    if (const auto* m = o.if_contains("before_minutes")) {
      if (!m->is_int64())
        return core::field_error("reminders", "before_minutes must be a whole number");
      r.before_minutes = static_cast<int>(std::clamp<std::int64_t>(m->as_int64(), -1, 1'000'000));
    } else {
      auto at = instant_member(o, "at");
      if (!at || !*at) {
        return core::field_error(
            "reminders", "each reminder is {\"before_minutes\": N} or {\"at\": \"<RFC 3339>\"}");
      }
      r.at = **at;
    }
    out.push_back(r);
  }
  if (auto st = core::check_reminders(out); !st) return st.error();
  return out;
}

core::Result<core::Recurrence> recurrence_from_json(const boost::json::value& v) {
  if (!v.is_object())
    return core::field_error("recurrence", "must be {\"rrule\": ..., \"mode\": ...}");
  const auto& o = v.as_object();
  for (const auto& [k, unused] : o) {
    if (k != "rrule" && k != "mode")
      return core::field_error("recurrence", "unknown field " + std::string{k});
  }
  const auto* rrule = o.if_contains("rrule");
  if (!rrule || !rrule->is_string())
    return core::field_error("recurrence", "rrule must be a string");
  core::Recurrence r;
  r.rrule = std::string{rrule->as_string()};
  r.mode = core::RecurrenceMode::schedule;
  if (const auto* mode = o.if_contains("mode"); mode && !mode->is_null()) {
    auto m = mode->is_string() ? core::parse_recurrence_mode(mode->as_string()) : std::nullopt;
    if (!m) return core::field_error("recurrence", "mode must be schedule or completion");
    r.mode = *m;
  }
  if (auto st = core::validate_rrule(r.rrule); !st) return st.error();
  return r;
}

core::Result<core::Task> task_from_json(const boost::json::object& o) {
  auto str = [&o](std::string_view key) -> core::Result<std::string> {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_string()) return core::field_error(std::string{key}, "must be a string");
    return std::string{v->as_string()};
  };
  auto integer = [&o](std::string_view key) -> core::Result<std::int64_t> {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_int64()) return core::field_error(std::string{key}, "must be an integer");
    return v->as_int64();
  };
  core::Task t;
  auto id = integer("id");
  if (!id) return id.error();
  t.id = *id;
  auto version = integer("version");
  if (!version) return version.error();
  t.version = *version;
  for (auto [key, field] : {std::pair{"title", &t.title}, std::pair{"description", &t.description},
                            std::pair{"time_zone", &t.time_zone}}) {
    auto v = str(key);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  auto status = str("status");
  auto s = status ? core::parse_status(*status) : std::nullopt;
  if (!s) return core::field_error("status", "must be pending or completed");
  t.status = *s;
  auto priority = str("priority");
  auto p = priority ? core::parse_priority(*priority) : std::nullopt;
  if (!p) return core::field_error("priority", "must be high, medium, low or none");
  t.priority = *p;
  for (auto [key, field] :
       {std::pair{"created_at", &t.created_at}, std::pair{"updated_at", &t.updated_at}}) {
    auto v = instant_member(o, key);
    if (!v) return v.error();
    if (!*v) return core::field_error(key, "is required");
    *field = **v;
  }
  for (auto [key, field] :
       {std::pair{"due_at", &t.due_at}, std::pair{"completed_at", &t.completed_at}}) {
    auto v = instant_member(o, key);
    if (!v) return v.error();
    *field = *v;
  }
  if (const auto* tags = o.if_contains("tags"); tags && tags->is_array()) {
    for (const auto& tag : tags->as_array()) {
      if (tag.is_string()) t.tags.emplace_back(tag.as_string());
    }
  }
  if (const auto* r = o.if_contains("reminders")) {
    auto reminders = reminders_from_json(*r);
    if (!reminders) return reminders.error();
    t.reminders = std::move(*reminders);
  }
  if (const auto* r = o.if_contains("recurrence"); r && !r->is_null()) {
    auto rec = recurrence_from_json(*r);
    if (!rec) return rec.error();
    t.recurrence = std::move(*rec);
  }
  if (const auto* sid = o.if_contains("series_id"); sid && sid->is_int64()) {
    t.series_id = sid->as_int64();
    auto start = instant_member(o, "series_start");
    if (!start) return start.error();
    t.series_start = *start;
    if (const auto* idx = o.if_contains("occurrence_index"); idx && idx->is_int64()) {
      t.occurrence_index = static_cast<int>(idx->as_int64());
    }
  }
  return t;
}

}  // namespace tickler::wire
