#pragma once
// UTC instants at millisecond precision and their RFC 3339 text (2026-12-06T05:48:00.123Z).
#include <chrono>
#include <string>

namespace tickler::base {

using UtcMillis = std::chrono::sys_time<std::chrono::milliseconds>;

[[nodiscard]] UtcMillis utc_now();
// Always "YYYY-MM-DDThh:mm:ss.mmmZ" for years 0–9999; date's own spelling outside them.
[[nodiscard]] std::string format_utc(UtcMillis t);

}  // namespace tickler::base
