#include "services/notifier/preferences.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <initializer_list>

#include "core/task.hpp"
#include "core/time.hpp"

namespace tickler::services::notifier {
namespace {

constexpr std::array<core::Priority, 4> k_priorities{core::Priority::high, core::Priority::medium,
                                                     core::Priority::low, core::Priority::none};

boost::json::array kinds_json(const std::vector<std::string>& kinds) {
  boost::json::array out;
  for (const auto& k : kinds) out.emplace_back(k);
  return out;
}

template <std::size_t N>
std::string listed(const std::array<std::string_view, N>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string{n};
  return out;
}

// An array of distinct kinds among `allowed`.
template <std::size_t N>
core::Result<std::vector<std::string>> read_kinds(const boost::json::value& v,
                                                  const std::string& field,
                                                  const std::array<std::string_view, N>& allowed) {
  const auto bad = [&] {
    return core::field_error(
        field, "must be an array of distinct channel kinds among: " + listed(allowed));
  };
  if (!v.is_array()) return bad();
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) {
    if (!e.is_string()) return bad();
    const std::string kind{e.as_string()};
    if (std::find(allowed.begin(), allowed.end(), kind) == allowed.end()) return bad();
    if (std::find(out.begin(), out.end(), kind) != out.end()) return bad();
    out.push_back(kind);
  }
  return out;
}

core::Result<int> read_time(const boost::json::object& o, const std::string& field) {
  const auto* v = o.if_contains(field.substr(field.rfind('.') + 1));
  if (!v || !v->is_string()) return core::field_error(field, "must be a time \"HH:MM\"");
  auto minute = core::parse_hh_mm(v->as_string());
  if (!minute) return core::field_error(field, "must be a time \"HH:MM\" (00:00–23:59)");
  return *minute;
}

core::Status only(const boost::json::object& o, std::initializer_list<std::string_view> allowed,
                  const std::string& where) {
  for (const auto& member : o) {
    const std::string_view key = member.key();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return core::field_error(where + std::string{key}, "is not a known member");
    }
  }
  return {};
}

}  // namespace

boost::json::object prefs_json(const core::NotificationPrefs& prefs) {
  boost::json::value quiet = nullptr;
  if (prefs.quiet_hours) {
    quiet = boost::json::object{{"start", core::format_hh_mm(prefs.quiet_hours->start_minute)},
                                {"end", core::format_hh_mm(prefs.quiet_hours->end_minute)}};
  }
  boost::json::object by_priority;
  for (auto p : k_priorities) {
    by_priority[core::to_string(p)] =
        kinds_json(prefs.channels_by_priority[static_cast<std::size_t>(p)]);
  }
  boost::json::value digest = nullptr;
  if (prefs.digest) {
    digest = boost::json::object{{"time", core::format_hh_mm(prefs.digest->minute)},
                                 {"channels", kinds_json(prefs.digest->kinds)}};
  }
  return {{"time_zone", prefs.time_zone},
          {"quiet_hours", std::move(quiet)},
          {"channels_by_priority", std::move(by_priority)},
          {"digest", std::move(digest)}};
}

core::Result<core::NotificationPrefs> read_prefs(const boost::json::object& body,
                                                 core::NotificationPrefs base) {
  if (auto st = only(body, {"time_zone", "quiet_hours", "channels_by_priority", "digest"}, "");
      !st) {
    return st.error();
  }
  auto out = std::move(base);
  if (const auto* v = body.if_contains("time_zone")) {
    if (!v->is_string() || !core::is_known_time_zone(v->as_string())) {
      return core::field_error("time_zone", "must be a known IANA time zone (Europe/Berlin)");
    }
    out.time_zone = std::string{v->as_string()};
  }
  if (const auto* v = body.if_contains("quiet_hours")) {
    if (v->is_null()) {
      out.quiet_hours.reset();
    } else if (!v->is_object()) {
      return core::field_error("quiet_hours", "must be null or {start, end}");
    } else {
      const auto& o = v->as_object();
      if (auto st = only(o, {"start", "end"}, "quiet_hours."); !st) return st.error();
      auto start = read_time(o, "quiet_hours.start");
      if (!start) return start.error();
      auto end = read_time(o, "quiet_hours.end");
      if (!end) return end.error();
      if (*start == *end) {
        return core::field_error("quiet_hours", "start and end must differ");
      }
      out.quiet_hours = core::QuietHours{*start, *end};
    }
  }
  if (const auto* v = body.if_contains("channels_by_priority")) {
    if (!v->is_object()) {
      return core::field_error("channels_by_priority", "must be {high, medium, low, none}");
    }
    const auto& o = v->as_object();
    if (auto st = only(o, {"high", "medium", "low", "none"}, "channels_by_priority."); !st) {
      return st.error();
    }
    for (auto p : k_priorities) {
      const auto name = std::string{core::to_string(p)};
      if (const auto* kinds = o.if_contains(name)) {
        auto read = read_kinds(*kinds, "channels_by_priority." + name, core::k_channel_kinds);
        if (!read) return read.error();
        out.channels_by_priority[static_cast<std::size_t>(p)] = std::move(*read);
      }
    }
  }
  if (const auto* v = body.if_contains("digest")) {
    if (v->is_null()) {
      out.digest.reset();
    } else if (!v->is_object()) {
      return core::field_error("digest", "must be null or {time, channels}");
    } else {
      const auto& o = v->as_object();
      if (auto st = only(o, {"time", "channels"}, "digest."); !st) return st.error();
      auto minute = read_time(o, "digest.time");
      if (!minute) return minute.error();
      const auto* channels = o.if_contains("channels");
      if (!channels) return core::field_error("digest.channels", "is required");
      auto kinds = read_kinds(*channels, "digest.channels", core::k_digest_kinds);
      if (!kinds) return kinds.error();
      if (kinds->empty()) {
        return core::field_error("digest.channels", "must name at least one channel kind");
      }
      out.digest = core::Digest{*minute, std::move(*kinds)};
    }
  }
  return out;
}

core::NotificationPrefs stored_prefs(std::string_view body) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return core::NotificationPrefs::defaults();
  auto read = read_prefs(parsed.as_object(), core::NotificationPrefs::defaults());
  return read ? *read : core::NotificationPrefs::defaults();
}

boost::json::object override_json(const core::NotificationOverride& o) {
  boost::json::value kinds = nullptr;
  if (o.kinds) kinds = kinds_json(*o.kinds);
  return {{"channels", std::move(kinds)},
          {"quiet_hours", o.ignore_quiet_hours ? "ignore" : "respect"}};
}

core::Result<core::NotificationOverride> read_override(const boost::json::object& body) {
  if (auto st = only(body, {"channels", "quiet_hours"}, ""); !st) return st.error();
  core::NotificationOverride out;
  if (const auto* v = body.if_contains("channels"); v && !v->is_null()) {
    auto kinds = read_kinds(*v, "channels", core::k_channel_kinds);
    if (!kinds) return kinds.error();
    out.kinds = std::move(*kinds);
  }
  const auto* quiet = body.if_contains("quiet_hours");
  if (!quiet || !quiet->is_string() ||
      (quiet->as_string() != "respect" && quiet->as_string() != "ignore")) {
    return core::field_error("quiet_hours", "must be \"respect\" or \"ignore\"");
  }
  out.ignore_quiet_hours = quiet->as_string() == "ignore";
  return out;
}

core::NotificationOverride stored_override(std::string_view body) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return {};
  auto read = read_override(parsed.as_object());
  return read ? *read : core::NotificationOverride{};
}

}  // namespace tickler::services::notifier
