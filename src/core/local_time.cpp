#include "core/local_time.hpp"

#include <date/tz.h>

namespace tickler::core {
namespace {

const date::time_zone& zone_or_utc(std::string_view name) {
  if (!is_known_time_zone(name)) return *date::locate_zone("UTC");
  return *date::locate_zone(std::string{name});
}

}  // namespace

std::string local_time_text(Instant at, std::string_view time_zone) {
  const date::zoned_time<std::chrono::minutes> shown{&zone_or_utc(time_zone),
                                                     date::floor<std::chrono::minutes>(at)};
  auto text = date::format("%a %e %b %Y, %H:%M %Z", shown);
  // %e pads a one-digit day with a space: "Mon  7 Dec" reads better as "Mon 7 Dec".
  if (auto pos = text.find("  "); pos != std::string::npos) text.erase(pos, 1);
  return text;
}

Instant next_day_at(Instant now, std::string_view time_zone, int hour, int minute) {
  const auto& zone = zone_or_utc(time_zone);
  const auto today = date::floor<date::days>(zone.to_local(now));
  const auto target =
      today + date::days{1} + std::chrono::hours{hour} + std::chrono::minutes{minute};
  const auto info = zone.get_info(target);
  if (info.result == date::local_info::nonexistent) {
    // Skipped by a spring-forward: the same wall-clock distance after the gap's start.
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        date::sys_time<std::chrono::seconds>{target.time_since_epoch() - info.first.offset});
  }
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      zone.to_sys(target, date::choose::earliest));
}

}  // namespace tickler::core
