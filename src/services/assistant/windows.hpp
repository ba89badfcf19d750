#pragma once
// The due windows of the built-in assistant's listings, and due times as people read them, in
// the user's time zone. Pure (the caller passes `now`).
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"
#include "services/assistant/grammar.hpp"

namespace tickler::services::assistant {

// [after, before) of due times; unset ends are open.
struct DueRange {
  std::optional<core::Instant> after;
  std::optional<core::Instant> before;
};

// today: the local day of `now`; tomorrow: the next one; this_week: from the start of today to
// the end of Sunday (weeks start on Monday, as in quick add); overdue: everything due before
// `now`; any: no bounds. validation_failed (field time_zone) for an unknown zone.
[[nodiscard]] core::Result<DueRange> due_range(DueWindow window, core::Instant now,
                                               std::string_view time_zone);

// "Fri 11 Dec, 15:00" in the zone (the year added when it is not now's year); the zone must be
// known (else UTC).
[[nodiscard]] std::string describe_due(core::Instant due, core::Instant now,
                                       std::string_view time_zone);

}  // namespace tickler::services::assistant
