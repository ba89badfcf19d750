#include "core/recurrence_presets.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <string_view>

#include "core/recurrence.hpp"

namespace tickler::core {
namespace {

Error preset_error(std::string problem) {
  return field_error("recurrence", std::move(problem));
}

std::string_view weekday_code(date::weekday day) {
  static constexpr std::array<std::string_view, 7> k_codes{"SU", "MO", "TU", "WE",
                                                           "TH", "FR", "SA"};
  return k_codes[day.c_encoding()];
}

// FREQ, INTERVAL (left out when 1), the BY part, then COUNT or UNTIL.
Result<std::string> build(std::string_view freq, int interval, std::string_view by_part,
                          const SeriesEnd& end) {
  if (interval < 1 || interval > k_max_rrule_interval) {
    return preset_error("interval must be 1–" + std::to_string(k_max_rrule_interval));
  }
  if (end.count && end.until) return preset_error("a series ends by count or by date, not both");
  if (end.count && (*end.count < 1 || *end.count > k_max_rrule_count)) {
    return preset_error("count must be 1–" + std::to_string(k_max_rrule_count));
  }
  std::string out = "FREQ=" + std::string{freq};
  if (interval != 1) out += ";INTERVAL=" + std::to_string(interval);
  if (!by_part.empty()) out += ";" + std::string{by_part};
  if (end.count) out += ";COUNT=" + std::to_string(*end.count);
  if (end.until) {
    const auto until = date::floor<std::chrono::seconds>(*end.until);
    const auto year = date::year_month_day{date::floor<date::days>(until)}.year();
    if (year < date::year{0} || year > date::year{9999}) {
      return preset_error("until must be in the years 0000–9999");
    }
    out += ";UNTIL=" + date::format("%Y%m%dT%H%M%SZ", until);
  }
  return out;
}

}  // namespace

Result<std::string> daily_rrule(int interval, const SeriesEnd& end) {
  return build("DAILY", interval, "", end);
}

Result<std::string> weekdays_rrule(const SeriesEnd& end) {
  return build("WEEKLY", 1, "BYDAY=MO,TU,WE,TH,FR", end);
}

Result<std::string> weekly_rrule(const std::vector<date::weekday>& days, int interval,
                                 const SeriesEnd& end) {
  if (std::any_of(days.begin(), days.end(), [](date::weekday d) { return !d.ok(); })) {
    return preset_error("a weekday is out of range");
  }
  std::vector<date::weekday> sorted = days;
  // Monday first, as the default WKST=MO orders a week.
  const auto by_iso = [](date::weekday a, date::weekday b) {
    return a.iso_encoding() < b.iso_encoding();
  };
  std::sort(sorted.begin(), sorted.end(), by_iso);
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string by_day;
  for (const auto day : sorted) {
    by_day += by_day.empty() ? "BYDAY=" : ",";
    by_day += weekday_code(day);
  }
  return build("WEEKLY", interval, by_day, end);
}

Result<std::string> monthly_on_day_rrule(int day, int interval, const SeriesEnd& end) {
  if (day < 1 || day > 31) return preset_error("day of month must be 1–31");
  return build("MONTHLY", interval, "BYMONTHDAY=" + std::to_string(day), end);
}

Result<std::string> monthly_on_last_day_rrule(int interval, const SeriesEnd& end) {
  return build("MONTHLY", interval, "BYMONTHDAY=-1", end);
}

Result<std::string> monthly_on_nth_weekday_rrule(int nth, date::weekday weekday, int interval,
                                                 const SeriesEnd& end) {
  if (nth == 0 || nth < -5 || nth > 5) return preset_error("nth weekday must be 1–5 or -1–-5");
  if (!weekday.ok()) return preset_error("a weekday is out of range");
  return build("MONTHLY", interval,
               "BYDAY=" + std::to_string(nth) + std::string{weekday_code(weekday)}, end);
}

Result<std::string> yearly_rrule(int interval, const SeriesEnd& end) {
  return build("YEARLY", interval, "", end);
}

}  // namespace tickler::core
