#include "base/utc_time.hpp"

#include <date/date.h>

namespace tickler::base {

UtcMillis utc_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string format_utc(UtcMillis t) {
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

}  // namespace tickler::base
