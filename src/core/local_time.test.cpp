#include "core/local_time.hpp"

#include <gtest/gtest.h>

namespace tickler::core {
namespace {

Instant at(const char* text) {
  return *parse_rfc3339(text);
}

TEST(LocalTime, ShowsTheInstantInTheZone) {
  EXPECT_EQ(local_time_text(at("2026-12-07T08:30:00Z"), "Europe/Paris"),
            "Mon 7 Dec 2026, 09:30 CET");
  EXPECT_EQ(local_time_text(at("2026-07-07T08:30:00Z"), "America/New_York"),
            "Tue 7 Jul 2026, 04:30 EDT");
  EXPECT_EQ(local_time_text(at("2026-12-17T08:30:00Z"), "UTC"), "Thu 17 Dec 2026, 08:30 UTC");
  EXPECT_EQ(local_time_text(at("2026-12-17T08:30:00Z"), "Not/AZone"), "Thu 17 Dec 2026, 08:30 UTC");
}

TEST(LocalTime, NextDayAtNineIsInTheTasksZone) {
  // 23:30 in Tokyo on the 6th is 14:30 UTC: tomorrow there is the 7th.
  EXPECT_EQ(next_day_at(at("2026-12-06T14:30:00Z"), "Asia/Tokyo", 9, 0),
            at("2026-12-07T00:00:00Z"));
  EXPECT_EQ(next_day_at(at("2026-12-06T14:30:00Z"), "UTC", 9, 0), at("2026-12-07T09:00:00Z"));
  // Across a DST change (Paris, 29 March 2026 at 02:00 → 03:00): 9:00 the next day is CEST.
  EXPECT_EQ(next_day_at(at("2026-03-28T12:00:00Z"), "Europe/Paris", 9, 0),
            at("2026-03-29T07:00:00Z"));
  // A skipped time moves forward by the gap.
  EXPECT_EQ(next_day_at(at("2026-03-28T12:00:00Z"), "Europe/Paris", 2, 30),
            at("2026-03-29T01:30:00Z"));
}

}  // namespace
}  // namespace tickler::core
