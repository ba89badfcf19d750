#pragma once
// Quick add: one line of natural language ("Pay rent every month on the 1st at 9am #home !high")
// read into a task draft preview. Pure: no I/O; the caller passes `now` and the user's time zone.
//
// The line is split into words at white space and ','. Matching is case-insensitive and works on
// whole words only: "Mondays" is not a weekday, "everyone" is not a recurrence, "C#" is not a tag.
// Text in double quotes is one word that nothing matches, kept in the title as written; a title
// that is all one quoted text loses the quote marks ("\"Meet on Friday\" tomorrow" → title
// Meet on Friday, due tomorrow). An unclosed quote is an ordinary character.
// A trailing '.', '?', ':' or ';' on a word is ignored ("Call mom tomorrow."). Priority, date,
// time and recurrence are each taken once, the first time they appear; a later one of the same
// kind stays in the title. Tags and reminders are all taken.
//
// Parts recognised (all dates and times in the local calendar and wall clock of `time_zone`):
//   Tags       "#home" → "home" (ASCII lower-cased, duplicates dropped). "#123" (digits only)
//              and "##…" are not tags, so "Fix bug #123" keeps it in the title. An invalid tag
//              ("#a#b", more than 40 characters) is an error (field "tags").
//   Priority   "!high" "!medium" "!low", or "!1" (high) "!2" (medium) "!3" (low).
//   Reminders  "remind me 30 min before", "remind me 1 hour before", "remind me 2h before",
//              "remind me a day before" (units m/min/minute(s), h/hr(s)/hour(s), d/day(s),
//              w/week(s); "me" optional). Repeatable; the result is sorted, without duplicates.
//   Dates      [on|by] followed by:
//              "today", "tomorrow";
//              a weekday ("fri", "friday"): the next such day strictly after today;
//              "next <weekday>": that weekday in next week (weeks start on Monday), so on a
//              Thursday "next friday" is 8 days away and "next monday" 4;
//              "in 3 days", "in 2 weeks", "in a week";
//              "2026-12-24", "24/12" or "24/12/2027" (day/month[/year]), "Dec 24", "24 Dec",
//              "december 24th", "24th of december": without a year, the next such date on or
//              after today ("29 Feb" may be years away). Dates that do not exist are not
//              recognised and stay in the title.
//              "wed", "sat" and "sun" are English words too: alone they count as weekdays only
//              after on/by/next or inside a recurrence ("Sun cream" has no date). A d/m
//              pair of one digit each ("1/2") is a fraction unless after on/by, so "Read 1/2
//              of the book" has no date and "by 1/2" is 1 February; "1/12" is a date.
//   Times      [at] "9am", "9 am", "9:30pm", "12am" (00:00), "12pm" (12:00), "21:00", "18:45",
//              "noon", "midnight" (00:00, the start of the day). A bare number ("at 9") is not a
//              time; 24-hour times need minutes.
//   Recurrence (RFC 5545 RRULE; mode "schedule", or "completion" when written "every!"):
//              "every day" / "daily"                       FREQ=DAILY
//              "every 3 days", "every other day"           FREQ=DAILY;INTERVAL=3 (=2)
//              "every weekday"                             FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR
//              "every week" / "weekly"                     FREQ=WEEKLY
//              "every monday", "every mon and thu"         FREQ=WEEKLY;BYDAY=MO(,TH)
//              "every 2 weeks on mon,wed" (also "on monday and wednesday", "weekly on fri")
//                                                          FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE
//              "every month" / "monthly"                   FREQ=MONTHLY
//              "every month on the 1st" ("monthly on the 15th", "on the first")
//                                                          FREQ=MONTHLY;BYMONTHDAY=1
//              "every month on the last day"               FREQ=MONTHLY;BYMONTHDAY=-1
//              "every month on the last friday", "every last friday"  FREQ=MONTHLY;BYDAY=-1FR
//              "every month on the second tuesday" (first…fourth, 1st…4th), "every first monday"
//                                                          FREQ=MONTHLY;BYDAY=2TU
//              "every year" / "yearly" / "annually", "every 2 years"  FREQ=YEARLY(;INTERVAL=2)
//              "every! 3 days" → the same rule, mode "completion". A date given beside a
//              recurrence ("every year on dec 24") is the first due date.
//
// Due time (UTC), from the local parts:
//   - a date and a time: that local date and time;
//   - a date without a time: 09:00 local on that date (tasks with only a date are due in the
//     morning), even when that is already past ("today" at 16:00 is due today at 09:00);
//   - a time without a date: today at that time if that is not before `now`, else tomorrow;
//   - a recurrence without a date: its first occurrence not before `now`, at the time given or
//     09:00. Rules that fix no day (every day/week/month/year, every N …) start today or
//     tomorrow; "every thursday" on a Thursday afternoon starts next week;
//   - nothing of the above: no due time.
//   Local to UTC follows RFC 5545: a time that occurs twice (DST ends) is the earlier one, a time
//   that does not exist (DST starts) uses the UTC offset from before the gap.
//
// Title: the line with every recognised part removed, white space trimmed and collapsed. Once a
// part is removed, separators left dangling go too: a ',' ';' ':' or '-' word right after a
// removed part or at either end, and ',' ';' ':' at either end ("Notes: tomorrow" → "Notes").
// When nothing is left, the title is the line minus tags and priority (so "tomorrow 9am #home"
// keeps "tomorrow 9am" as its title and still gets a due time); when even that is empty it is an
// error (field "quick"). The title then follows normalize_title (field "title").
//
// Errors (core::field_error): a line over 500 characters or without a title → "quick"; an unknown
// IANA time zone → "time_zone".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/time.hpp"

namespace tickler::core {

inline constexpr std::size_t k_max_quick_add_chars = 500;

// The task draft read from one quick-add line; plain data, owned by the caller.
struct QuickAddResult {
  std::string title;
  std::vector<std::string> tags;
  std::optional<Priority> priority;
  std::optional<Instant> due_at;               // UTC
  std::optional<std::string> rrule;            // RFC 5545 RRULE value, e.g. "FREQ=DAILY"
  std::optional<std::string> recurrence_mode;  // "schedule" or "completion"; set with rrule
  std::vector<int> remind_before_minutes;      // ascending, unique

  friend bool operator==(const QuickAddResult&, const QuickAddResult&) = default;
};

[[nodiscard]] Result<QuickAddResult> parse_quick_add(std::string_view text, Instant now,
                                                     std::string_view time_zone);

}  // namespace tickler::core
