#include "core/quick_add_dates.hpp"

#include <algorithm>

namespace tickler::core::quick_add_detail {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// A word and the number it stands for (weekdays in ISO order, Monday = 1).
struct Named {
  std::string_view name;
  unsigned value;
};

constexpr Named k_weekdays[] = {
    {"mon", 1},       {"monday", 1}, {"tue", 2},      {"tues", 2},  {"tuesday", 2},  {"wed", 3},
    {"wednesday", 3}, {"thu", 4},    {"thur", 4},     {"thurs", 4}, {"thursday", 4}, {"fri", 5},
    {"friday", 5},    {"sat", 6},    {"saturday", 6}, {"sun", 7},   {"sunday", 7}};
constexpr Named k_months[] = {
    {"jan", 1},  {"january", 1},  {"feb", 2},    {"february", 2},  {"mar", 3},  {"march", 3},
    {"apr", 4},  {"april", 4},    {"may", 5},    {"jun", 6},       {"june", 6}, {"jul", 7},
    {"july", 7}, {"aug", 8},      {"august", 8}, {"sep", 9},       {"sept", 9}, {"september", 9},
    {"oct", 10}, {"october", 10}, {"nov", 11},   {"november", 11}, {"dec", 12}, {"december", 12}};
constexpr Named k_ordinals[] = {{"first", 1}, {"1st", 1}, {"second", 2}, {"2nd", 2},
                                {"third", 3}, {"3rd", 3}, {"fourth", 4}, {"4th", 4}};
constexpr std::string_view k_day_codes[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
constexpr std::string_view k_freq_names[] = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<unsigned> lookup(std::span<const Named> table, std::string_view key) {
  for (const auto& entry : table) {
    if (entry.name == key) return entry.value;
  }
  return std::nullopt;
}

std::optional<int> two_digits(std::string_view text, int max) {
  return text.size() <= 2 ? parse_number(text, max) : std::nullopt;
}

std::optional<date::weekday> weekday_from(std::string_view key) {
  if (const auto n = lookup(k_weekdays, key)) return date::weekday{*n};
  return std::nullopt;
}

// Short names that are everyday words too; alone they need a lead word to count as a date.
bool is_also_a_word(std::string_view key) {
  return key == "wed" || key == "sat" || key == "sun";
}

// "24", "24th", "1st": a day of a month, 1–31.
std::optional<date::day> day_of_month(std::string_view key) {
  const auto digits = static_cast<std::size_t>(
      std::find_if(key.begin(), key.end(), [](char c) { return !is_digit(c); }) - key.begin());
  const auto suffix = key.substr(digits);
  if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") {
    return std::nullopt;
  }
  const auto n = two_digits(key.substr(0, digits), 31);
  if (!n || *n < 1) return std::nullopt;
  return date::day{static_cast<unsigned>(*n)};
}

// "first"…"fourth", "1st"…"4th", or "last" (-1).
std::optional<int> ordinal_from(std::string_view key) {
  if (key == "last") return -1;
  if (const auto n = lookup(k_ordinals, key)) return static_cast<int>(*n);
  return std::nullopt;
}

std::optional<date::month> month_from(std::string_view key) {
  if (const auto n = lookup(k_months, key)) return date::month{*n};
  return std::nullopt;
}

// A date without a year is the next one on or after today; 8 years reach the next 29 February.
std::optional<date::local_days> next_on_or_after(date::month m, date::day d,
                                                 date::local_days today) {
  const auto this_year = date::year_month_day{today}.year();
  for (int ahead = 0; ahead <= 8; ++ahead) {
    const auto ymd = (this_year + date::years{ahead}) / m / d;
    if (ymd.ok() && date::local_days{ymd} >= today) return date::local_days{ymd};
  }
  return std::nullopt;
}

std::optional<date::local_days> iso_date(std::string_view key) {
  if (key.size() != 10 || key[4] != '-' || key[7] != '-') return std::nullopt;
  const auto y = parse_number(key.substr(0, 4), 9999);
  const auto m = parse_number(key.substr(5, 2), 12);
  const auto d = parse_number(key.substr(8, 2), 31);
  if (!y || !m || !d) return std::nullopt;
  const auto ymd = date::year{*y} / date::month{static_cast<unsigned>(*m)} /
                   date::day{static_cast<unsigned>(*d)};
  if (!ymd.ok()) return std::nullopt;
  return date::local_days{ymd};
}

// "24/12" or "24/12/2027": day first, as most of the world writes it. "1/2" (one digit each, no
// year) reads as a fraction ("Read 1/2 of the book") unless led by "on" or "by".
std::optional<date::local_days> day_month_date(std::string_view key, date::local_days today,
                                               bool led) {
  const auto slash = key.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto rest = key.substr(slash + 1);
  const auto year_slash = rest.find('/');
  if (!led && slash == 1 && rest.size() == 1) return std::nullopt;
  const auto d = two_digits(key.substr(0, slash), 31);
  const auto m = two_digits(rest.substr(0, year_slash), 12);
  if (!d || !m || *d < 1 || *m < 1) return std::nullopt;
  const date::day day{static_cast<unsigned>(*d)};
  const date::month month{static_cast<unsigned>(*m)};
  if (year_slash == std::string_view::npos) return next_on_or_after(month, day, today);
  const auto year_text = rest.substr(year_slash + 1);
  const auto y = year_text.size() == 4 ? parse_number(year_text, 9999) : std::nullopt;
  if (!y) return std::nullopt;
  const auto ymd = date::year{*y} / month / day;
  if (!ymd.ok()) return std::nullopt;
  return date::local_days{ymd};
}

date::local_days next_after(date::local_days today, date::weekday wd) {
  const date::days ahead = wd - date::weekday{today};  // 0…6
  return today + (ahead == date::days{0} ? date::days{7} : ahead);
}

date::local_days in_next_week(date::local_days today, date::weekday wd) {
  const auto monday = today - (date::weekday{today} - date::Monday);
  return monday + date::weeks{1} + (wd - date::Monday);
}

std::optional<date::local_days> read_date(Reader& r, date::local_days today, bool led) {
  const auto key = r.peek();
  if (key == "today" || key == "tomorrow") {
    r.take();
    return key == "today" ? today : today + date::days{1};
  }
  if (key == "next") {
    const auto wd = weekday_from(r.peek(1));
    if (!wd) return std::nullopt;
    r.pos += 2;
    return in_next_week(today, *wd);
  }
  if (const auto wd = weekday_from(key); wd && (led || !is_also_a_word(key))) {
    r.take();
    return next_after(today, *wd);
  }
  if (key == "in") {
    const auto amount = r.peek(1);
    const auto n =
        (amount == "a" || amount == "an") ? std::optional<int>{1} : parse_number(amount, 999);
    const auto unit = r.peek(2);
    const bool weeks = unit == "week" || unit == "weeks";
    if (!n || !(weeks || unit == "day" || unit == "days")) return std::nullopt;
    r.pos += 3;
    return today + date::days{weeks ? 7 * *n : *n};
  }
  if (auto d = iso_date(key)) {
    r.take();
    return d;
  }
  if (auto d = day_month_date(key, today, led)) {
    r.take();
    return d;
  }
  if (const auto m = month_from(key)) {  // "Dec 24"
    const auto d = day_of_month(r.peek(1));
    auto found = d ? next_on_or_after(*m, *d, today) : std::nullopt;
    if (found) r.pos += 2;
    return found;
  }
  if (const auto d = day_of_month(key)) {  // "24 Dec", "24th of December"
    Reader c = r;
    c.take();
    c.accept("of");
    const auto m = month_from(c.peek());
    auto found = m ? next_on_or_after(*m, *d, today) : std::nullopt;
    if (found) r.pos = c.pos + 1;
    return found;
  }
  return std::nullopt;
}

// "9am", "9 am", "9:30pm", "21:00", "noon", "midnight".
std::optional<minutes> read_clock(Reader& r) {
  if (r.accept("noon")) return hours{12};
  if (r.accept("midnight")) return minutes{0};
  auto key = r.peek();
  std::string_view half;  // "am" or "pm"
  if (key.size() > 2 && (key.ends_with("am") || key.ends_with("pm"))) {
    half = key.substr(key.size() - 2);
    key.remove_suffix(2);
  }
  const auto colon = key.find(':');
  const auto hour = two_digits(key.substr(0, colon), 23);
  std::optional<int> minute = 0;
  if (colon != std::string_view::npos) {
    const auto mm = key.substr(colon + 1);
    minute = mm.size() == 2 ? parse_number(mm, 59) : std::nullopt;
  }
  if (!hour || !minute) return std::nullopt;
  Reader c = r;
  c.take();
  if (half.empty() && (c.peek() == "am" || c.peek() == "pm")) half = c.take();
  if (half.empty()) {
    if (colon == std::string_view::npos) return std::nullopt;  // "at 9" is too vague
    r = c;
    return hours{*hour} + minutes{*minute};
  }
  if (*hour < 1 || *hour > 12) return std::nullopt;
  r = c;
  return hours{*hour % 12 + (half == "pm" ? 12 : 0)} + minutes{*minute};
}

// "mon", "mon,wed", "monday and wednesday", "mon, wed and fri".
std::optional<std::vector<date::weekday>> read_weekday_list(Reader& r) {
  const auto first = weekday_from(r.peek());
  if (!first) return std::nullopt;
  std::vector<date::weekday> days{*first};
  r.take();
  for (;;) {
    Reader c = r;
    const bool comma = c.accept(",");
    const bool word = c.accept("and") || c.accept("&");
    const auto wd = weekday_from(c.peek());
    if (!(comma || word) || !wd) break;
    c.take();
    days.push_back(*wd);
    r = c;
  }
  std::sort(days.begin(), days.end(),
            [](date::weekday a, date::weekday b) { return a.iso_encoding() < b.iso_encoding(); });
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

// "… on mon,wed" after a weekly unit.
void read_on_weekdays(Reader& r, Recurrence& rule) {
  Reader c = r;
  if (!c.accept("on")) return;
  if (auto days = read_weekday_list(c)) {
    rule.by_day = std::move(*days);
    r = c;
  }
}

// "… on the 1st", "… on the last day", "… on the last friday" after a monthly unit.
void read_month_tail(Reader& r, Recurrence& rule) {
  Reader c = r;
  if (!c.accept("on")) return;
  c.accept("the");
  const auto key = c.take();
  const auto ordinal = ordinal_from(key);
  if (const auto wd = weekday_from(c.peek()); ordinal && wd) {
    c.take();
    rule.by_day = {*wd};
    rule.by_day_ordinal = ordinal;
  } else if (key == "last" && c.accept("day")) {
    rule.by_month_day = -1;
  } else if (const auto d = day_of_month(key)) {
    rule.by_month_day = static_cast<int>(static_cast<unsigned>(*d));
  } else if (ordinal > 0) {  // "on the first"
    rule.by_month_day = ordinal;
  } else {
    return;
  }
  r = c;
}

std::optional<Recurrence::Freq> unit_freq(std::string_view key) {
  using Freq = Recurrence::Freq;
  if (key == "day" || key == "days") return Freq::daily;
  if (key == "week" || key == "weeks") return Freq::weekly;
  if (key == "month" || key == "months") return Freq::monthly;
  if (key == "year" || key == "years") return Freq::yearly;
  return std::nullopt;
}

// What follows "every": weekdays, "weekday", "last friday", or [N|other] unit [tail].
bool read_every(Reader& r, Recurrence& rule) {
  if (auto days = read_weekday_list(r)) {
    rule.freq = Recurrence::Freq::weekly;
    rule.by_day = std::move(*days);
    return true;
  }
  const auto key = r.peek();
  if (key == "weekday" || key == "weekdays") {
    r.take();
    rule.freq = Recurrence::Freq::weekly;
    rule.by_day = {date::Monday, date::Tuesday, date::Wednesday, date::Thursday, date::Friday};
    return true;
  }
  // Only first and last: "every second tuesday" reads as fortnightly to many people.
  if (const auto wd = weekday_from(r.peek(1)); wd && (key == "first" || key == "last")) {
    r.pos += 2;
    rule.freq = Recurrence::Freq::monthly;
    rule.by_day = {*wd};
    rule.by_day_ordinal = key == "first" ? 1 : -1;
    return true;
  }
  Reader c = r;
  if (c.accept("other")) {
    rule.interval = 2;
  } else if (const auto n = parse_number(key, 999); n && *n >= 1) {
    c.take();
    rule.interval = *n;
  }
  const auto freq = unit_freq(c.take());
  if (!freq) return false;
  rule.freq = *freq;
  if (rule.freq == Recurrence::Freq::weekly) read_on_weekdays(c, rule);
  if (rule.freq == Recurrence::Freq::monthly) read_month_tail(c, rule);
  r = c;
  return true;
}

bool occurs_on(const Recurrence& rule, date::local_days d) {
  const date::year_month_day ymd{d};
  if (!rule.by_day.empty() &&
      std::find(rule.by_day.begin(), rule.by_day.end(), date::weekday{d}) == rule.by_day.end()) {
    return false;
  }
  if (rule.by_month_day == -1) return ymd.day() == (ymd.year() / ymd.month() / date::last).day();
  if (rule.by_month_day) return ymd.day() == date::day{static_cast<unsigned>(*rule.by_month_day)};
  if (rule.by_day_ordinal == -1) {  // the last one: a week later is another month
    return date::year_month_day{d + date::weeks{1}}.month() != ymd.month();
  }
  if (rule.by_day_ordinal) {
    return date::year_month_weekday{d}.index() == static_cast<unsigned>(*rule.by_day_ordinal);
  }
  return true;
}

Instant to_instant(date::local_time<minutes> local, const date::time_zone& zone) {
  // RFC 5545 §3.3.5: a skipped local time takes the offset before the gap (to_sys would give the
  // end of the gap); a repeated one is the earlier instant.
  const auto info = zone.get_info(local);
  if (info.result == date::local_info::nonexistent) {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        date::sys_time<minutes>{local.time_since_epoch()} - info.first.offset);
  }
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      zone.to_sys(local, date::choose::earliest));
}

}  // namespace

std::optional<int> parse_number(std::string_view digits, int max) {
  if (digits.empty() || digits.size() > 4) return std::nullopt;
  int value = 0;
  for (const char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

std::string to_rrule(const Recurrence& rule) {
  std::string out{"FREQ="};
  out += k_freq_names[static_cast<std::size_t>(rule.freq)];
  if (rule.interval > 1) out += ";INTERVAL=" + std::to_string(rule.interval);
  if (rule.by_month_day) out += ";BYMONTHDAY=" + std::to_string(*rule.by_month_day);
  for (std::size_t i = 0; i < rule.by_day.size(); ++i) {
    out += i == 0 ? ";BYDAY=" : ",";
    if (rule.by_day_ordinal) out += std::to_string(*rule.by_day_ordinal);
    out += k_day_codes[rule.by_day[i].iso_encoding() - 1];
  }
  return out;
}

std::optional<date::local_days> match_date(Reader& in, date::local_days today) {
  Reader r = in;
  const bool led = r.accept("on") || r.accept("by");
  auto day = read_date(r, today, led);
  if (day) in = r;
  return day;
}

std::optional<std::chrono::minutes> match_time(Reader& in) {
  Reader r = in;
  r.accept("at");
  auto time = read_clock(r);
  if (time) in = r;
  return time;
}

std::optional<Recurrence> match_recurrence(Reader& in) {
  Reader r = in;
  Recurrence rule;
  const auto head = r.take();
  if (head == "daily") {
    rule.freq = Recurrence::Freq::daily;
  } else if (head == "weekly") {
    rule.freq = Recurrence::Freq::weekly;
    read_on_weekdays(r, rule);
  } else if (head == "monthly") {
    rule.freq = Recurrence::Freq::monthly;
    read_month_tail(r, rule);
  } else if (head == "yearly" || head == "annually") {
    rule.freq = Recurrence::Freq::yearly;
  } else if (head == "every" || head == "every!") {
    rule.from_completion = head == "every!";
    if (!read_every(r, rule)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  in = r;
  return rule;
}

std::optional<Instant> resolve_due(std::optional<date::local_days> day,
                                   std::optional<std::chrono::minutes> time,
                                   const std::optional<Recurrence>& rule, Instant now,
                                   const date::time_zone& zone) {
  const minutes at = time.value_or(hours{9});
  if (day) return to_instant(*day + at, zone);
  if (!rule && !time) return std::nullopt;
  // The first matching local day whose due instant is not before now; 400 days reach any rule
  // quick add can write (the longest wait is a 31st across two short months).
  const auto today = date::floor<date::days>(zone.to_local(now));
  for (auto d = today; d < today + date::days{400}; d += date::days{1}) {
    if (rule && !occurs_on(*rule, d)) continue;
    const auto due = to_instant(d + at, zone);
    if (due >= now) return due;
  }
  return std::nullopt;
}

}  // namespace tickler::core::quick_add_detail
