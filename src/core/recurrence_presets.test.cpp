#include "core/recurrence_presets.hpp"

#include "core/recurrence_test_support.hpp"

namespace tickler::core {
namespace {

// recurrence_test brings the zones, helpers and the date/chrono names they use.
using namespace recurrence_test;

// ---- presets ----

std::string preset(const Result<std::string>& r) {
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : std::string{};
}

TEST(RecurrencePresets, BuildRruleText) {
  EXPECT_EQ(preset(daily_rrule()), "FREQ=DAILY");
  EXPECT_EQ(preset(daily_rrule(3)), "FREQ=DAILY;INTERVAL=3");
  EXPECT_EQ(preset(weekdays_rrule()), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
  EXPECT_EQ(preset(weekly_rrule({date::Wednesday, date::Monday, date::Wednesday}, 2)),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE");
  EXPECT_EQ(preset(weekly_rrule({date::Sunday, date::Saturday})), "FREQ=WEEKLY;BYDAY=SA,SU");
  EXPECT_EQ(preset(weekly_rrule({})), "FREQ=WEEKLY");
  EXPECT_EQ(preset(monthly_on_day_rrule(15)), "FREQ=MONTHLY;BYMONTHDAY=15");
  EXPECT_EQ(preset(monthly_on_last_day_rrule()), "FREQ=MONTHLY;BYMONTHDAY=-1");
  EXPECT_EQ(preset(monthly_on_nth_weekday_rrule(2, date::Tuesday)), "FREQ=MONTHLY;BYDAY=2TU");
  EXPECT_EQ(preset(monthly_on_nth_weekday_rrule(-1, date::Friday, 3)),
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR");
  EXPECT_EQ(preset(yearly_rrule()), "FREQ=YEARLY");
  EXPECT_EQ(preset(daily_rrule(1, {.count = 5})), "FREQ=DAILY;COUNT=5");
  EXPECT_EQ(preset(weekdays_rrule({.until = utc("2026-12-31T23:59:59.900Z")})),
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231T235959Z");
}

TEST(RecurrencePresets, EveryPresetIsAValidRule) {
  for (const auto& r :
       {daily_rrule(7), weekdays_rrule({.count = 10}), weekly_rrule({date::Friday}, 4),
        monthly_on_day_rrule(31), monthly_on_last_day_rrule(2),
        monthly_on_nth_weekday_rrule(-2, date::Sunday),
        yearly_rrule(2, {.until = utc("2030-01-01T00:00:00Z")})}) {
    const auto text = preset(r);
    EXPECT_TRUE(validate_rrule(text)) << text;
  }
}

TEST(RecurrencePresets, WeekdaysAreMondayToFriday) {
  const local_days first{2026_y / 1 / 1};
  const auto got =
      occurrences(preset(weekdays_rrule()), k_new_york, sys(k_new_york, first, hours{9}), 300);
  ASSERT_EQ(got.size(), 300U);
  auto day = first;
  for (const auto t : got) {
    EXPECT_EQ(wall(k_new_york, t), day + hours{9});
    do {
      day += date::days{1};
    } while (date::weekday{day} == date::Saturday || date::weekday{day} == date::Sunday);
  }
}

TEST(RecurrencePresets, RefuseOutOfRangeArguments) {
  const SeriesEnd both{.count = 3, .until = utc("2030-01-01T00:00:00Z")};
  for (const auto& r :
       {daily_rrule(0), daily_rrule(k_max_rrule_interval + 1), daily_rrule(1, {.count = 0}),
        daily_rrule(1, both), weekly_rrule({date::weekday{8}}), monthly_on_day_rrule(0),
        monthly_on_day_rrule(32), monthly_on_nth_weekday_rrule(0, date::Monday),
        monthly_on_nth_weekday_rrule(6, date::Monday),
        monthly_on_nth_weekday_rrule(-6, date::Monday),
        yearly_rrule(1, {.until = utc("2026-01-01T00:00:00Z") + date::years{8000}})}) {
    expect_field_error(r ? Status{} : Status{r.error()}, "recurrence", r ? *r : r.error().message);
  }
}

}  // namespace
}  // namespace tickler::core
