#pragma once
// Instants as a person reads them in a time zone, and times of day there: what a mailed reminder
// shows and what "tomorrow 9:00" means for a task in its own zone.
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace tickler::core {

// "Mon 7 Dec 2026, 09:30 CET": the instant in the IANA zone (UTC for an unknown one), with the
// zone's abbreviation.
[[nodiscard]] std::string local_time_text(Instant at, std::string_view time_zone);

// The instant of hour:minute on the day after `now`'s day in the zone (UTC for an unknown one);
// a time skipped by a DST change is moved forward by the gap, a repeated one is the first.
[[nodiscard]] Instant next_day_at(Instant now, std::string_view time_zone, int hour, int minute);

}  // namespace tickler::core
