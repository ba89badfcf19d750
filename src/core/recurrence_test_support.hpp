#pragma once
// Shared by the recurrence unit tests: zones, and expected values computed with date's calendar
// types and the zone's own to_sys/to_local (never with the code under test).
#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/recurrence.hpp"

namespace tickler::core::recurrence_test {

using date::local_days;
using namespace date::literals;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using LocalMs = date::local_time<milliseconds>;

constexpr std::string_view k_new_york = "America/New_York";
constexpr std::string_view k_berlin = "Europe/Berlin";
constexpr std::string_view k_lord_howe = "Australia/Lord_Howe";

// Expected values come from date's calendar types and the zone's own to_sys/to_local, never from
// the code under test. to_sys throws on a gap or a repeat, so every test time here is unique.
inline const date::time_zone& tz(std::string_view name) {
  return *date::locate_zone(name);
}

inline Instant sys(std::string_view zone, local_days day, minutes time_of_day) {
  return tz(zone).to_sys(day + time_of_day);
}

inline LocalMs wall(std::string_view zone, Instant t) {
  return tz(zone).to_local(t);
}

inline std::string day_text(local_days day) {
  return date::format("%F", day);
}

inline std::vector<std::string> texts(const std::vector<Instant>& instants) {
  std::vector<std::string> out;
  for (const auto t : instants) out.push_back(format_rfc3339(t));
  return out;
}

inline Instant utc(const char* text) {
  const auto t = parse_rfc3339(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Instant{});
}

inline std::vector<Instant> occurrences(std::string_view rrule, std::string_view zone,
                                        Instant start, int n) {
  auto r = first_occurrences(rrule, zone, start, n);
  EXPECT_TRUE(r) << rrule << ": " << (r ? "" : r.error().message);
  return r ? *r : std::vector<Instant>{};
}

inline std::optional<Occurrence> next(const Recurrence& rule, std::string_view zone,
                                      const SeriesPosition& at, Instant completed_at, Instant now) {
  auto r = next_occurrence(rule, zone, at, completed_at, now);
  EXPECT_TRUE(r) << rule.rrule << ": " << (r ? "" : r.error().message);
  return r ? *r : std::nullopt;
}

inline void expect_field_error(const Status& status, std::string_view field,
                               std::string_view what) {
  ASSERT_FALSE(status) << what;
  EXPECT_EQ(status.error().code, Errc::validation_failed) << what;
  EXPECT_EQ(std::get<std::string>(status.error().details.at("field")), field) << what;
}

constexpr local_days k_first_day{2024_y / 1 / 1};
constexpr local_days k_last_day{2027_y / 12 / 31};

}  // namespace tickler::core::recurrence_test
