#pragma once
// The common repeat choices of the UI as RRULE text, e.g. weekly_rrule({Monday, Wednesday}, 2)
// gives "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE". Each preset returns text that passes validate_rrule,
// or field_error("recurrence", …) for an out-of-range argument. Parts a preset leaves out (the
// weekday of a weekly rule without days, the month and day of a yearly rule, the time of day) come
// from DTSTART, the due of the first occurrence.
#include <date/date.h>

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace tickler::core {

// How a series ends: never (both empty), after `count` occurrences, or with the last occurrence at
// or before `until` (written as UTC "…Z", as RFC 5545 asks for a zoned DTSTART). Not both.
struct SeriesEnd {
  std::optional<int> count{};
  std::optional<Instant> until{};
};

// Every `interval` days.
[[nodiscard]] Result<std::string> daily_rrule(int interval = 1, const SeriesEnd& end = {});
// Monday to Friday.
[[nodiscard]] Result<std::string> weekdays_rrule(const SeriesEnd& end = {});
// Every `interval` weeks on `days` (any order, duplicates ignored; none: DTSTART's weekday).
[[nodiscard]] Result<std::string> weekly_rrule(const std::vector<date::weekday>& days,
                                               int interval = 1, const SeriesEnd& end = {});
// Every `interval` months on day `day` (1–31). Months without that day are skipped (RFC 5545): use
// monthly_on_last_day_rrule for month ends.
[[nodiscard]] Result<std::string> monthly_on_day_rrule(int day, int interval = 1,
                                                       const SeriesEnd& end = {});
// Every `interval` months on the last day of the month (BYMONTHDAY=-1).
[[nodiscard]] Result<std::string> monthly_on_last_day_rrule(int interval = 1,
                                                            const SeriesEnd& end = {});
// Every `interval` months on the nth `weekday`: nth 1–5 from the start of the month, -1–-5 from
// its end (2, Tuesday → "BYDAY=2TU"; -1, Friday → "BYDAY=-1FR"). A month without it is skipped.
[[nodiscard]] Result<std::string> monthly_on_nth_weekday_rrule(int nth, date::weekday weekday,
                                                               int interval = 1,
                                                               const SeriesEnd& end = {});
// Every `interval` years on DTSTART's month and day (a Feb 29 start repeats in leap years only).
[[nodiscard]] Result<std::string> yearly_rrule(int interval = 1, const SeriesEnd& end = {});

}  // namespace tickler::core
