#include "core/time.hpp"

#include <gtest/gtest.h>

namespace tickler::core {
namespace {

TEST(Time, ParsesUtcAndOffsets) {
  const auto utc = parse_rfc3339("2026-12-01T08:00:00Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(parse_rfc3339("2026-12-01T09:00:00+01:00"), utc);
  EXPECT_EQ(parse_rfc3339("2026-12-01T03:00:00-05:00"), utc);
  EXPECT_EQ(parse_rfc3339("2026-12-01t08:00:00z"), utc);
  EXPECT_EQ(format_rfc3339(*utc), "2026-12-01T08:00:00.000Z");
}

TEST(Time, KeepsMilliseconds) {
  const auto t = parse_rfc3339("2026-12-01T08:00:00.123456Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t), "2026-12-01T08:00:00.123Z");
}

TEST(Time, RejectsWhatIsNotAnInstant) {
  for (const char* bad : {"tomorrow", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-01",
                          "2026-12-01T25:00:00Z", "2026-12-01T08:00:00", "2026-12-01T08:00:00Zjunk",
                          "", "2026-12-01T08:00:00+25:00"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(Time, RoundTripsMillis) {
  EXPECT_EQ(to_millis(from_millis(1'795'000'000'123)), 1'795'000'000'123);
}

}  // namespace
}  // namespace tickler::core
