#include "core/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <sstream>

namespace tickler::core {

Instant now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
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
  // Hot path (three instants per task in every listing): calendar maths from date, digits by hand
  // instead of date::format's iostreams.
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::milliseconds> tod{t - day};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) return date::format("%FT%TZ", t);
  char buf[24];
  auto put = [&buf](int pos, int width, long long value) {
    for (int i = width - 1; i >= 0; --i) {
      buf[pos + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, 4, year);
  buf[4] = '-';
  put(5, 2, static_cast<unsigned>(ymd.month()));
  buf[7] = '-';
  put(8, 2, static_cast<unsigned>(ymd.day()));
  buf[10] = 'T';
  put(11, 2, tod.hours().count());
  buf[13] = ':';
  put(14, 2, tod.minutes().count());
  buf[16] = ':';
  put(17, 2, tod.seconds().count());
  buf[19] = '.';
  put(20, 3, tod.subseconds().count());
  buf[23] = 'Z';
  return std::string{buf, sizeof buf};
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
