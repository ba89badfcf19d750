#include "core/notification_prefs.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>

namespace tickler::core {
namespace {

using date::local_seconds;

const date::time_zone& zone_or_utc(std::string_view name) {
  if (!is_known_time_zone(name)) return *date::locate_zone("UTC");
  return *date::locate_zone(std::string{name});
}

Instant to_instant(date::sys_seconds t) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

// The instants the zone's clock reads `local`: one, none (skipped: then the instant the same
// distance after the gap's start), or two (repeated); earliest first.
std::vector<Instant> instants_of(const date::time_zone& zone, local_seconds local) {
  const auto info = zone.get_info(local);
  switch (info.result) {
    case date::local_info::unique:
      return {to_instant(date::sys_seconds{local.time_since_epoch() - info.first.offset})};
    case date::local_info::nonexistent:
      return {to_instant(date::sys_seconds{local.time_since_epoch() - info.first.offset})};
    default:
      return {to_instant(date::sys_seconds{local.time_since_epoch() - info.first.offset}),
              to_instant(date::sys_seconds{local.time_since_epoch() - info.second.offset})};
  }
}

local_seconds local_of(const date::time_zone& zone, Instant at) {
  return zone.to_local(date::floor<std::chrono::seconds>(at));
}

}  // namespace

NotificationPrefs NotificationPrefs::defaults(std::string time_zone) {
  NotificationPrefs p;
  p.time_zone = std::move(time_zone);
  for (auto& kinds : p.channels_by_priority) {
    kinds.assign(k_channel_kinds.begin(), k_channel_kinds.end());
  }
  return p;
}

std::optional<int> parse_hh_mm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0U, 1U, 3U, 4U}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::string format_hh_mm(int minute) {
  std::string out(5, ':');
  out[0] = static_cast<char>('0' + minute / 600);
  out[1] = static_cast<char>('0' + minute / 60 % 10);
  out[3] = static_cast<char>('0' + minute % 60 / 10);
  out[4] = static_cast<char>('0' + minute % 10);
  return out;
}

bool is_channel_kind(std::string_view kind) {
  return std::find(k_channel_kinds.begin(), k_channel_kinds.end(), kind) != k_channel_kinds.end();
}

std::string_view kind_of_record(std::string_view record) {
  return record.substr(0, record.find(':'));
}

bool quiet_hours_hold(std::string_view record) {
  const auto kind = kind_of_record(record);
  return kind == "email" || kind == "push" || kind == "ntfy";
}

bool record_allowed(const NotificationPrefs& prefs,
                    const std::optional<NotificationOverride>& override_, Priority priority,
                    std::string_view record) {
  const auto kind = kind_of_record(record);
  const auto& kinds = override_ && override_->kinds
                          ? *override_->kinds
                          : prefs.channels_by_priority[static_cast<std::size_t>(priority)];
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::optional<Instant> quiet_hours_end(Instant now, std::string_view time_zone,
                                       const QuietHours& window) {
  if (window.start_minute == window.end_minute) return std::nullopt;
  const auto& zone = zone_or_utc(time_zone);
  const auto local = local_of(zone, now);
  const auto day = date::floor<date::days>(local);
  const auto minute =
      static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  const bool crosses = window.start_minute > window.end_minute;
  const bool inside = crosses ? (minute >= window.start_minute || minute < window.end_minute)
                              : (minute >= window.start_minute && minute < window.end_minute);
  if (!inside) return std::nullopt;
  const auto end_day = crosses && minute >= window.start_minute ? day + date::days{1} : day;
  const auto end_local = local_seconds{end_day} + std::chrono::minutes{window.end_minute};
  for (auto at : instants_of(zone, end_local)) {
    if (at > now) return at;
  }
  // The clock went back past the end and reads a minute before it again: the window ends when
  // it next reads the end (the first instant after now that does).
  return now;
}

std::optional<Instant> held_until(const NotificationPrefs& prefs,
                                  const std::optional<NotificationOverride>& override_,
                                  Priority priority, Instant now) {
  if (priority == Priority::high || !prefs.quiet_hours) return std::nullopt;
  if (override_ && override_->ignore_quiet_hours) return std::nullopt;
  return quiet_hours_end(now, prefs.time_zone, *prefs.quiet_hours);
}

Instant next_local_minute(Instant after, std::string_view time_zone, int minute) {
  const auto& zone = zone_or_utc(time_zone);
  const auto day = date::floor<date::days>(local_of(zone, after));
  for (int ahead = 0; ahead < 3; ++ahead) {
    const auto target = local_seconds{day + date::days{ahead}} + std::chrono::minutes{minute};
    const auto first = instants_of(zone, target).front();
    // Only the first of a repeated time counts: a digest fired at it is not due again an hour
    // later, when the clock reads the same time.
    if (first > after) return first;
  }
  return after + std::chrono::hours{24};  // unreachable: a day always has the minute
}

std::string local_date(Instant at, std::string_view time_zone) {
  const auto& zone = zone_or_utc(time_zone);
  const date::year_month_day day{date::floor<date::days>(local_of(zone, at))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

std::pair<Instant, Instant> local_day_bounds(Instant at, std::string_view time_zone) {
  const auto& zone = zone_or_utc(time_zone);
  const auto day = date::floor<date::days>(local_of(zone, at));
  // Midnight can be skipped (some zones change at 00:00): the instant then is after the gap.
  return {instants_of(zone, local_seconds{day}).front(),
          instants_of(zone, local_seconds{day + date::days{1}}).front()};
}

}  // namespace tickler::core
