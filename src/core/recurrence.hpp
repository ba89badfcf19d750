#pragma once
// Recurring tasks: RFC 5545 RRULE validation and the next occurrence of a series, evaluated in the
// local wall time of the task's IANA time zone. libical iterates the rule in floating local time;
// HowardHinnant date/tz turns each local occurrence into a UTC Instant.
#include <date/tz.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace tickler::core {

inline constexpr std::size_t k_max_rrule_chars = 500;
inline constexpr int k_max_rrule_interval = 1000;
inline constexpr int k_max_rrule_count = 100'000;
inline constexpr int k_max_preview_occurrences = 5000;
// Rule occurrences walked at most to find one next occurrence: the bound of its cost (about
// 10 ms here). A task's rule may have at most that many in 30 days (check_recurrence_cost).
inline constexpr int k_max_recurrence_steps = 5'000;
inline constexpr auto k_recurrence_check_horizon = std::chrono::days{30};

// schedule: the next occurrence follows the previous due (a missed one is skipped, see
// next_occurrence). completion: the series re-anchors at the completion (Todoist's "every!").
enum class RecurrenceMode { schedule, completion };

[[nodiscard]] std::optional<RecurrenceMode> parse_recurrence_mode(std::string_view text);
[[nodiscard]] std::string_view to_string(RecurrenceMode mode);

// The rule of a recurring task. rrule is RFC 5545 RECUR text ("FREQ=WEEKLY;BYDAY=MO"), with or
// without a leading "RRULE:".
struct Recurrence {
  std::string rrule;
  RecurrenceMode mode = RecurrenceMode::schedule;
  friend bool operator==(const Recurrence&, const Recurrence&) = default;
};

// Checks RRULE text; failures are field_error("recurrence", …). Refused: over k_max_rrule_chars,
// control characters, anything libical cannot parse, no FREQ, FREQ below DAILY (SECONDLY,
// MINUTELY, HOURLY), INTERVAL/COUNT that are not plain integers in range, COUNT with UNTIL, and
// rule parts libical will not combine (e.g. BYMONTH=2;BYMONTHDAY=30 or FREQ=DAILY;BYYEARDAY=1).
[[nodiscard]] Status validate_rrule(std::string_view rrule);

// Where a series is now.
struct SeriesPosition {
  Instant series_start;  // DTSTART (due of occurrence 0), UTC
  Instant current_due;   // due of the occurrence being completed, UTC
  int index = 0;         // its 0-based index
};

// One occurrence of a series: its due and its 0-based index in the series.
struct Occurrence {
  Instant due;
  int index = 0;
  friend bool operator==(const Occurrence&, const Occurrence&) = default;
};

// The occurrence that follows `at`; nullopt when the series has ended (COUNT, UNTIL, or libical's
// last year 2582). time_zone must be a valid IANA name; rrule must pass validate_rrule (both are
// checked: field_error("time_zone" | "recurrence", …)).
//
// The set of a series is DTSTART (= at.series_start, always occurrence 0, as RFC 5545 counts it)
// followed by every rule occurrence after it, iterated in local wall time. COUNT counts over that
// set; UNTIL keeps occurrences at or before it: a UTC UNTIL ("…Z") is compared as an instant, a
// floating one as local wall time, a DATE one as the local date (the whole day is included).
//
// schedule: the next occurrence is the first of the set strictly after at.current_due; if that one
// is not after `now` (the task was completed late), it is skipped, and so is every other one up
// to `now`: the result is the first occurrence strictly after `now`. Its index is its position in
// the set, so skipped occurrences are consumed (they count towards COUNT). The walk resumes at
// at.current_due, whose index is at.index (from DTSTART when at.current_due is DTSTART).
// Walking costs at most k_max_recurrence_steps occurrences: a series overdue by more goes on
// with the first occurrence after `now`, at index at.index + 1 (the skipped ones uncounted, so
// COUNT counts on from there).
// completed_at is not used.
//
// completion: the series re-anchors at the completion. DTSTART' = the local date of completed_at
// combined with the local time of day of at.current_due; the next occurrence is the first one of
// the rule strictly after DTSTART' (so "FREQ=DAILY;INTERVAL=3" is three days after the day of
// completion), with index at.index + 1. COUNT ends the series when that index would reach COUNT,
// UNTIL when that due would be after UNTIL. now and at.series_start are not used.
[[nodiscard]] Result<std::optional<Occurrence>> next_occurrence(const Recurrence& rule,
                                                                std::string_view time_zone,
                                                                const SeriesPosition& at,
                                                                Instant completed_at, Instant now);

// Refuses (field_error("recurrence", "repeats too often…")) a rule with more than
// k_max_recurrence_steps occurrences in the k_recurrence_check_horizon after the later of `due`
// and `now`. Checked when a task's series
// starts, so that a rule too dense to follow is refused then, never found on the event path.
[[nodiscard]] Status check_recurrence_cost(const Recurrence& rule, std::string_view time_zone,
                                           Instant due, Instant now);

// The first `n` occurrences of the set from DTSTART = series_start (fewer when the series ends),
// for previews and tests; n is 0..k_max_preview_occurrences.
[[nodiscard]] Result<std::vector<Instant>> first_occurrences(std::string_view rrule,
                                                             std::string_view time_zone,
                                                             Instant series_start, int n);

// Local wall time → UTC (RFC 5545 §3.3.5): a time in a spring-forward gap is read with the UTC
// offset from before the gap (New York 02:30 → 03:30 EDT); a repeated fall-back time is its first
// occurrence (New York 01:30 → 01:30 EDT).
[[nodiscard]] Instant local_to_utc(const date::local_time<std::chrono::milliseconds>& local,
                                   const date::time_zone& zone);

}  // namespace tickler::core
