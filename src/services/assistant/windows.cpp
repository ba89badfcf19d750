#include "services/assistant/windows.hpp"

#include <date/date.h>
#include <date/tz.h>

namespace tickler::services::assistant {
namespace {

const date::time_zone* zone_of(std::string_view name) {
  if (!core::is_known_time_zone(name)) return nullptr;
  return date::locate_zone(name);
}

// The UTC instant of local midnight at the start of `day` (the earlier one when ambiguous, the
// end of the gap when it does not exist).
core::Instant start_of(const date::time_zone& zone, date::local_days day) {
  const auto info = zone.get_info(date::local_seconds{day.time_since_epoch()});
  std::chrono::sys_seconds t{};
  if (info.result == date::local_info::nonexistent) {
    t = info.second.begin;
  } else {
    t = std::chrono::sys_seconds{day.time_since_epoch()} - info.first.offset;
  }
  return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

}  // namespace

core::Result<DueRange> due_range(DueWindow window, core::Instant now, std::string_view time_zone) {
  const auto* zone = zone_of(time_zone);
  if (!zone) return core::field_error("time_zone", "is not a known IANA time zone");
  const auto local = zone->to_local(now);
  const auto today = date::floor<date::days>(local);
  switch (window) {
    case DueWindow::any:
      return DueRange{};
    case DueWindow::today:
      return DueRange{start_of(*zone, today), start_of(*zone, today + date::days{1})};
    case DueWindow::tomorrow:
      return DueRange{start_of(*zone, today + date::days{1}),
                      start_of(*zone, today + date::days{2})};
    case DueWindow::this_week: {
      const date::weekday wd{today};
      const auto to_monday = (wd - date::Monday).count();
      const auto next_monday = today + date::days{7 - to_monday};
      return DueRange{start_of(*zone, today), start_of(*zone, next_monday)};
    }
    case DueWindow::overdue:
      return DueRange{std::nullopt, now};
  }
  return DueRange{};
}

std::string describe_due(core::Instant due, core::Instant now, std::string_view time_zone) {
  const auto* zone = zone_of(time_zone);
  if (!zone) zone = date::locate_zone("UTC");
  const auto local = zone->to_local(std::chrono::time_point_cast<std::chrono::minutes>(due));
  const auto local_now = zone->to_local(now);
  const date::year_month_day day{date::floor<date::days>(local)};
  const date::year_month_day this_day{date::floor<date::days>(local_now)};
  std::string out = date::format("%a ", local) + std::to_string(static_cast<unsigned>(day.day())) +
                    date::format(" %b", local);
  if (day.year() != this_day.year()) out += date::format(" %Y", local);
  return out + date::format(", %H:%M", local);
}

}  // namespace tickler::services::assistant
