#pragma once
// A person's notification preferences, as the domain reads them (no JSON, no store): the zone
// their quiet hours and digest are read in, quiet hours (a window of wall-clock time that holds
// non-urgent reminders to its end), which channel kinds each task priority goes to, the daily
// digest's time and channels; and a task's override of them. The arithmetic on the zone's wall
// clock (quiet hours' end, the digest's next instant, a local date) is DST-correct: a skipped
// time moves forward by the gap, a repeated one counts once.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/task.hpp"
#include "core/time.hpp"

namespace tickler::core {

// The channel kinds a preference names: a record `kind` or `kind:<id>` is of kind `kind`.
inline constexpr std::array<std::string_view, 4> k_channel_kinds{"email", "webhook", "push",
                                                                 "ntfy"};
// The kinds a digest may go to.
inline constexpr std::array<std::string_view, 3> k_digest_kinds{"email", "push", "ntfy"};

// A window of the day, in minutes after local midnight; start > end crosses midnight
// (22:00–07:00). start == end is refused when read (an empty or a whole-day window says
// nothing useful).
struct QuietHours {
  int start_minute = 0;
  int end_minute = 0;
  bool operator==(const QuietHours&) const = default;
};

struct Digest {
  int minute = 0;  // of the local day
  std::vector<std::string> kinds;
  bool operator==(const Digest&) const = default;
};

struct NotificationPrefs {
  std::string time_zone = "UTC";
  std::optional<QuietHours> quiet_hours;
  // By Priority (none, low, medium, high): the kinds that priority's reminders go to.
  std::array<std::vector<std::string>, 4> channels_by_priority{};
  std::optional<Digest> digest;
  bool operator==(const NotificationPrefs&) const = default;

  // The default: every kind for every priority, no quiet hours, no digest.
  [[nodiscard]] static NotificationPrefs defaults(std::string time_zone = "UTC");
};

// A task's override: the kinds its reminders go to instead of the priority's (nullopt: the
// priority's), and whether quiet hours hold them.
struct NotificationOverride {
  std::optional<std::vector<std::string>> kinds;
  bool ignore_quiet_hours = false;
  bool operator==(const NotificationOverride&) const = default;
};

// "HH:MM" (00:00–23:59) as minutes of the day; nullopt when malformed.
[[nodiscard]] std::optional<int> parse_hh_mm(std::string_view text);
[[nodiscard]] std::string format_hh_mm(int minute);
[[nodiscard]] bool is_channel_kind(std::string_view kind);
// The kind of a delivery record's channel name: "webhook:7" → "webhook".
[[nodiscard]] std::string_view kind_of_record(std::string_view record);

// Whether quiet hours hold a record of this channel: those that reach a person (email, push,
// ntfy). Webhooks are not held: they feed machines (automations, logs), which keep no hours; a
// user who wants them quiet leaves "webhook" out of a priority's kinds.
[[nodiscard]] bool quiet_hours_hold(std::string_view record);

// Whether a reminder of this priority (and override) goes to a record of this channel name.
[[nodiscard]] bool record_allowed(const NotificationPrefs& prefs,
                                  const std::optional<NotificationOverride>& override_,
                                  Priority priority, std::string_view record);

// When quiet hours hold a delivery that would go out at `now`: the window's end, the first
// instant after `now` the zone's clock reads end_minute (a skipped end moves forward by the gap;
// on a day the clock goes back, the first such instant after now); nullopt when `now` is outside
// the window.
[[nodiscard]] std::optional<Instant> quiet_hours_end(Instant now, std::string_view time_zone,
                                                     const QuietHours& window);

// Whether quiet hours hold a reminder: never one of priority high, nor one whose task's override
// ignores them; else the window's end when now is inside it.
[[nodiscard]] std::optional<Instant> held_until(
    const NotificationPrefs& prefs, const std::optional<NotificationOverride>& override_,
    Priority priority, Instant now);

// The first instant after `after` whose local time is `minute` of the day, on a local date later
// than `after`'s if that date's one is not after it: a time skipped by a spring-forward moves
// forward by the gap; a time repeated by a fall-back is the first of the two, so it comes once
// a day.
[[nodiscard]] Instant next_local_minute(Instant after, std::string_view time_zone, int minute);

// The local date of `at` in the zone, "YYYY-MM-DD".
[[nodiscard]] std::string local_date(Instant at, std::string_view time_zone);
// The instant the local date of `at` begins in the zone, and the next one begins.
[[nodiscard]] std::pair<Instant, Instant> local_day_bounds(Instant at, std::string_view time_zone);

}  // namespace tickler::core
