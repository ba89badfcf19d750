#include "core/time.hpp"

// date::parse (date::from_stream) reads the seconds into a long double that it uses only once
// they were read; GCC 12 cannot follow that through the inlined parser: a -Wmaybe-uninitialized
// false positive (GCC bug 24639, the meta-bug of those), silenced for date.h, which this file
// includes first.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <date/date.h>
#pragma GCC diagnostic pop
#include <date/tz.h>

#include <sstream>

#include "base/utc_time.hpp"

namespace tickler::core {

Instant now() {
  return base::utc_now();
}

std::int64_t to_millis(Instant t) {
  return t.time_since_epoch().count();
}

Instant from_millis(std::int64_t ms) {
  return Instant{std::chrono::milliseconds{ms}};
}

std::optional<Instant> parse_rfc3339(std::string_view text) {
  // The grammar is strict (RFC 3339 §5.6); date::parse checks field ranges and calendar validity.
  if (text.size() < 20 || text.size() > 40) return std::nullopt;
  std::string s{text};
  if (s[10] == 't' || s[10] == ' ') s[10] = 'T';
  if (s.back() == 'z') s.back() = 'Z';
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  std::istringstream in{s};
  in.imbue(std::locale::classic());
  date::sys_time<std::chrono::microseconds> tp;
  if (s.back() != 'Z') {
    // date::parse accepts any two-digit offset; RFC 3339 allows hours 00-23, minutes 00-59.
    const auto off = s.substr(s.size() - 6);
    if ((off[0] != '+' && off[0] != '-') || off[3] != ':' || off.substr(1, 2) > "23" ||
        off.substr(4, 2) > "59") {
      return std::nullopt;
    }
  }
  if (s.back() == 'Z') {
    in >> date::parse("%FT%TZ", tp);
  } else {
    in >> date::parse("%FT%T%Ez", tp);
  }
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::milliseconds>(tp);
}

std::string format_rfc3339(Instant t) {
  return base::format_utc(t);
}

bool is_known_time_zone(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace tickler::core
