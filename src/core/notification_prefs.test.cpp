#include "core/notification_prefs.hpp"

#include <gtest/gtest.h>

namespace tickler::core {
namespace {

Instant at(const char* text) {
  return *parse_rfc3339(text);
}

QuietHours window(const char* start, const char* end) {
  return {*parse_hh_mm(start), *parse_hh_mm(end)};
}

TEST(NotificationPrefs, ReadsAndWritesHhMm) {
  EXPECT_EQ(parse_hh_mm("00:00"), 0);
  EXPECT_EQ(parse_hh_mm("07:30"), 450);
  EXPECT_EQ(parse_hh_mm("23:59"), 1439);
  for (const char* bad : {"24:00", "7:30", "07:60", "07-30", "0730", "", "07:3a", " 7:30"}) {
    EXPECT_FALSE(parse_hh_mm(bad)) << bad;
  }
  EXPECT_EQ(format_hh_mm(450), "07:30");
  EXPECT_EQ(format_hh_mm(1439), "23:59");
}

TEST(NotificationPrefs, FiltersRecordsByPriorityOrOverride) {
  auto prefs = NotificationPrefs::defaults();
  EXPECT_TRUE(record_allowed(prefs, std::nullopt, Priority::low, "webhook:7"));
  prefs.channels_by_priority[static_cast<std::size_t>(Priority::low)] = {"email"};
  EXPECT_FALSE(record_allowed(prefs, std::nullopt, Priority::low, "webhook:7"));
  EXPECT_FALSE(record_allowed(prefs, std::nullopt, Priority::low, "webhook"));
  EXPECT_TRUE(record_allowed(prefs, std::nullopt, Priority::low, "email"));
  EXPECT_TRUE(record_allowed(prefs, std::nullopt, Priority::high, "webhook"));
  const NotificationOverride only_webhooks{std::vector<std::string>{"webhook"}, false};
  EXPECT_TRUE(record_allowed(prefs, only_webhooks, Priority::low, "webhook:7"));
  EXPECT_FALSE(record_allowed(prefs, only_webhooks, Priority::low, "email"));
  // An override without kinds keeps the priority's.
  EXPECT_FALSE(
      record_allowed(prefs, NotificationOverride{std::nullopt, true}, Priority::low, "webhook"));
}

TEST(QuietHours, HoldsInsideAWindowToItsEnd) {
  const auto w = window("09:00", "17:00");
  EXPECT_EQ(quiet_hours_end(at("2026-06-10T10:00:00Z"), "UTC", w), at("2026-06-10T17:00:00Z"));
  EXPECT_FALSE(quiet_hours_end(at("2026-06-10T17:00:00Z"), "UTC", w));
  EXPECT_FALSE(quiet_hours_end(at("2026-06-10T08:59:00Z"), "UTC", w));
  EXPECT_EQ(quiet_hours_end(at("2026-06-10T09:00:00Z"), "UTC", w), at("2026-06-10T17:00:00Z"));
}

TEST(QuietHours, AWindowAcrossMidnightEndsTheNextMorning) {
  const auto w = window("22:00", "07:00");
  // 23:00 in New York (EDT, -4) on 10 June is 03:00Z on the 11th: held to 07:00 EDT on the 11th.
  EXPECT_EQ(quiet_hours_end(at("2026-06-11T03:00:00Z"), "America/New_York", w),
            at("2026-06-11T11:00:00Z"));
  // 02:00 local, after midnight: the same morning.
  EXPECT_EQ(quiet_hours_end(at("2026-06-11T06:00:00Z"), "America/New_York", w),
            at("2026-06-11T11:00:00Z"));
  EXPECT_FALSE(quiet_hours_end(at("2026-06-11T12:00:00Z"), "America/New_York", w));
  EXPECT_FALSE(quiet_hours_end(at("2026-06-11T01:59:00Z"), "America/New_York", w));  // 21:59
}

TEST(QuietHours, ANightWithASpringForwardEndsAtTheLocalTime) {
  // New York, 8 March 2026: 02:00 EST → 03:00 EDT. 23:00 EST on the 7th is 04:00Z on the 8th;
  // 07:00 EDT is 11:00Z (not 12:00Z, as 07:00 EST would be).
  EXPECT_EQ(
      quiet_hours_end(at("2026-03-08T04:00:00Z"), "America/New_York", window("22:00", "07:00")),
      at("2026-03-08T11:00:00Z"));
  // Berlin, 29 March 2026: 02:00 CET → 03:00 CEST; a window ending 02:30 (skipped) ends at
  // 03:30 CEST (the gap's length later), 01:30Z.
  EXPECT_EQ(quiet_hours_end(at("2026-03-28T23:00:00Z"), "Europe/Berlin", window("23:00", "02:30")),
            at("2026-03-29T01:30:00Z"));
}

TEST(QuietHours, ANightWithAFallBackEndsAtTheLocalTime) {
  // New York, 1 November 2026: 02:00 EDT → 01:00 EST. 07:00 EST is 12:00Z.
  EXPECT_EQ(
      quiet_hours_end(at("2026-11-01T04:00:00Z"), "America/New_York", window("22:00", "07:00")),
      at("2026-11-01T12:00:00Z"));
  // Berlin, 25 October 2026: 03:00 CEST → 02:00 CET. A window ending 02:30 (read twice): at
  // 02:10 CEST (00:10Z) it ends at the first 02:30 (00:30Z); at 02:10 CET (01:10Z), on the second
  // pass, at the second 02:30 (01:30Z) — never at an instant already past.
  const auto w = window("23:00", "02:30");
  EXPECT_EQ(quiet_hours_end(at("2026-10-25T00:10:00Z"), "Europe/Berlin", w),
            at("2026-10-25T00:30:00Z"));
  EXPECT_EQ(quiet_hours_end(at("2026-10-25T01:10:00Z"), "Europe/Berlin", w),
            at("2026-10-25T01:30:00Z"));
}

TEST(QuietHours, NeverHoldHighPriorityNorAnOverrideThatIgnoresThem) {
  auto prefs = NotificationPrefs::defaults("UTC");
  prefs.quiet_hours = window("00:00", "23:59");
  const auto now = at("2026-06-10T10:00:00Z");
  EXPECT_EQ(held_until(prefs, std::nullopt, Priority::low, now), at("2026-06-10T23:59:00Z"));
  EXPECT_EQ(held_until(prefs, std::nullopt, Priority::none, now), at("2026-06-10T23:59:00Z"));
  EXPECT_FALSE(held_until(prefs, std::nullopt, Priority::high, now));
  EXPECT_FALSE(held_until(prefs, NotificationOverride{std::nullopt, true}, Priority::low, now));
  EXPECT_TRUE(held_until(prefs, NotificationOverride{std::nullopt, false}, Priority::low, now));
  prefs.quiet_hours.reset();
  EXPECT_FALSE(held_until(prefs, std::nullopt, Priority::low, now));
}

TEST(Digest, NextLocalMinuteIsTodayOrTomorrow) {
  const int eight = *parse_hh_mm("08:00");
  EXPECT_EQ(next_local_minute(at("2026-06-10T06:00:00Z"), "Europe/Berlin", eight),
            at("2026-06-11T06:00:00Z"));  // 08:00 CEST was the very instant: tomorrow
  EXPECT_EQ(next_local_minute(at("2026-06-10T05:00:00Z"), "Europe/Berlin", eight),
            at("2026-06-10T06:00:00Z"));
}

TEST(Digest, ASkippedTimeComesOnceLaterThatDay) {
  const int half_past_two = *parse_hh_mm("02:30");
  // New York, 8 March 2026: 02:30 does not exist; the digest comes at 03:30 EDT (07:30Z), once.
  const auto first =
      next_local_minute(at("2026-03-07T12:00:00Z"), "America/New_York", half_past_two);
  EXPECT_EQ(first, at("2026-03-07T07:30:00Z") + std::chrono::hours{24});
  EXPECT_EQ(next_local_minute(first, "America/New_York", half_past_two),
            at("2026-03-09T06:30:00Z"));  // 02:30 EDT the next day
  // Berlin, 29 March 2026: 02:30 → 03:30 CEST (01:30Z).
  EXPECT_EQ(next_local_minute(at("2026-03-28T12:00:00Z"), "Europe/Berlin", half_past_two),
            at("2026-03-29T01:30:00Z"));
}

TEST(Digest, ARepeatedTimeComesOnce) {
  const int half_past_one = *parse_hh_mm("01:30");
  // New York, 1 November 2026: 01:30 comes at 05:30Z (EDT) and 06:30Z (EST); the digest once,
  // at the first, and next at 01:30 EST on the 2nd.
  const auto first =
      next_local_minute(at("2026-10-31T12:00:00Z"), "America/New_York", half_past_one);
  EXPECT_EQ(first, at("2026-11-01T05:30:00Z"));
  EXPECT_EQ(next_local_minute(first, "America/New_York", half_past_one),
            at("2026-11-02T06:30:00Z"));
  // Even asked from between the two 01:30s.
  EXPECT_EQ(next_local_minute(at("2026-11-01T06:00:00Z"), "America/New_York", half_past_one),
            at("2026-11-02T06:30:00Z"));
  // Berlin, 25 October 2026: 02:30 comes at 00:30Z and 01:30Z.
  const int half_past_two = *parse_hh_mm("02:30");
  const auto berlin = next_local_minute(at("2026-10-24T12:00:00Z"), "Europe/Berlin", half_past_two);
  EXPECT_EQ(berlin, at("2026-10-25T00:30:00Z"));
  EXPECT_EQ(next_local_minute(berlin, "Europe/Berlin", half_past_two), at("2026-10-26T01:30:00Z"));
}

TEST(Digest, LocalDateAndDayBounds) {
  EXPECT_EQ(local_date(at("2026-06-11T03:00:00Z"), "America/New_York"), "2026-06-10");
  EXPECT_EQ(local_date(at("2026-06-11T03:00:00Z"), "Europe/Berlin"), "2026-06-11");
  // 8 March 2026 in New York is 23 hours long.
  const auto [begin, end] = local_day_bounds(at("2026-03-08T15:00:00Z"), "America/New_York");
  EXPECT_EQ(begin, at("2026-03-08T05:00:00Z"));
  EXPECT_EQ(end, at("2026-03-09T04:00:00Z"));
}

}  // namespace
}  // namespace tickler::core
