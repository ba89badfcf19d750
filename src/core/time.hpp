#pragma once
// Instants (UTC, millisecond precision), RFC 3339 in and out, and IANA time-zone checks.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tickler::core {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

[[nodiscard]] Instant now();
[[nodiscard]] std::int64_t to_millis(Instant t);
[[nodiscard]] Instant from_millis(std::int64_t ms);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)" (also 't'/'z' and a space for 'T').
[[nodiscard]] std::optional<Instant> parse_rfc3339(std::string_view text);
// Always "YYYY-MM-DDTHH:MM:SS.mmmZ".
[[nodiscard]] std::string format_rfc3339(Instant t);

// True when the name is in the IANA time-zone database this process reads.
[[nodiscard]] bool is_known_time_zone(std::string_view name);

}  // namespace tickler::core
