#include "core/recurrence.hpp"

#include "core/recurrence_test_support.hpp"

namespace tickler::core {
namespace {

// recurrence_test brings the zones, helpers and the date/chrono names they use.
using namespace recurrence_test;

// ---- modes and validation ----

TEST(RecurrenceMode, ParsesAndPrints) {
  EXPECT_EQ(parse_recurrence_mode("schedule"), RecurrenceMode::schedule);
  EXPECT_EQ(parse_recurrence_mode("completion"), RecurrenceMode::completion);
  EXPECT_EQ(to_string(RecurrenceMode::schedule), "schedule");
  EXPECT_EQ(to_string(RecurrenceMode::completion), "completion");
  EXPECT_FALSE(parse_recurrence_mode("Schedule"));
  EXPECT_FALSE(parse_recurrence_mode(""));
  EXPECT_FALSE(parse_recurrence_mode("every!"));
}

TEST(ValidateRrule, AcceptsCommonRules) {
  for (const char* good :
       {"FREQ=DAILY", "RRULE:FREQ=WEEKLY;BYDAY=MO", "rrule:freq=daily",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=YEARLY;COUNT=3", "FREQ=DAILY;UNTIL=20261231T235959Z", "FREQ=DAILY;UNTIL=20261231",
        "FREQ=DAILY;BYHOUR=9,18", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;", "FREQ=DAILY;INTERVAL=1000",
        "FREQ=DAILY;COUNT=100000"}) {
    EXPECT_TRUE(validate_rrule(good)) << good;
  }
}

TEST(ValidateRrule, RejectsWithARecurrenceFieldError) {
  const std::string with_nul{"FREQ=DAILY\0;BYHOUR=9", 20};
  for (const std::string& bad :
       std::vector<std::string>{"",
                                "RRULE:",
                                "garbage",
                                "FREQ=HOURLY",
                                "FREQ=MINUTELY",
                                "FREQ=SECONDLY",
                                "FREQ=HOURLY;INTERVAL=24",
                                "INTERVAL=2",
                                "BYDAY=MO",
                                "FREQ=FORTNIGHTLY",
                                "FREQ=DAILY;FOO=1",
                                "FREQ=DAILY;COUNT=2;UNTIL=20260101T000000Z",
                                "FREQ=DAILY;INTERVAL=0",
                                "FREQ=DAILY;INTERVAL=1001",
                                "FREQ=DAILY;INTERVAL=70000",
                                "FREQ=DAILY;INTERVAL=2x",
                                "FREQ=DAILY;INTERVAL=-2",
                                "FREQ=DAILY;COUNT=0",
                                "FREQ=DAILY;COUNT=100001",
                                "FREQ=DAILY;COUNT=3abc",
                                "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
                                "FREQ=DAILY;BYYEARDAY=1",
                                "FREQ=WEEKLY;BYMONTHDAY=1",
                                "FREQ=MONTHLY;BYMONTHDAY=32",
                                "FREQ=WEEKLY;BYDAY=XX",
                                "FREQ=DAILY;UNTIL=20261341T000000Z",
                                "FREQ=DAILY\n",
                                " FREQ=DAILY",
                                with_nul}) {
    expect_field_error(validate_rrule(bad), "recurrence", bad);
  }
}

TEST(ValidateRrule, LimitsTheLengthTo500Characters) {
  // 10 + 38 * 11 + 6 * 12 = 500 characters, all of them a valid rule.
  std::string rule = "FREQ=DAILY";
  for (int i = 0; i < 38; ++i) rule += ";INTERVAL=1";
  for (int i = 0; i < 6; ++i) rule += ";INTERVAL=01";
  ASSERT_EQ(rule.size(), 500U);
  EXPECT_TRUE(validate_rrule(rule));
  expect_field_error(validate_rrule(rule + ";"), "recurrence", "501 characters");
}

// ---- local wall time → UTC ----

TEST(LocalToUtc, KeepsAUniqueLocalTime) {
  const LocalMs local = local_days{2026_y / 7 / 1} + hours{9} + milliseconds{250};
  EXPECT_EQ(format_rfc3339(local_to_utc(local, tz(k_new_york))), "2026-07-01T13:00:00.250Z");
  EXPECT_EQ(format_rfc3339(local_to_utc(local, tz(k_berlin))), "2026-07-01T07:00:00.250Z");
}

TEST(LocalToUtc, ReadsAGapWithTheOffsetBeforeIt) {
  struct Case {
    std::string_view zone;
    LocalMs local;
    const char* expected;
  };
  for (const auto& c : {
           Case{k_new_york, local_days{2026_y / 3 / 8} + hours{2} + minutes{30},
                "2026-03-08T07:30:00.000Z"},  // 02:30 EST (-5) = 03:30 EDT
           Case{k_berlin, local_days{2026_y / 3 / 29} + hours{2} + minutes{30},
                "2026-03-29T01:30:00.000Z"},  // 02:30 CET (+1)
           Case{k_lord_howe, local_days{2026_y / 10 / 4} + hours{2} + minutes{15},
                "2026-10-03T15:45:00.000Z"},  // 02:15 at +10:30, before the 30-minute jump
       }) {
    ASSERT_EQ(tz(c.zone).get_info(c.local).result, date::local_info::nonexistent) << c.zone;
    EXPECT_EQ(format_rfc3339(local_to_utc(c.local, tz(c.zone))), c.expected) << c.zone;
  }
}

TEST(LocalToUtc, ReadsARepeatedTimeAsItsFirstOccurrence) {
  struct Case {
    std::string_view zone;
    LocalMs local;
    const char* expected;
  };
  for (const auto& c : {
           Case{k_new_york, local_days{2026_y / 11 / 1} + hours{1} + minutes{30},
                "2026-11-01T05:30:00.000Z"},  // 01:30 EDT (-4), not EST
           Case{k_berlin, local_days{2026_y / 10 / 25} + hours{2} + minutes{30},
                "2026-10-25T00:30:00.000Z"},  // 02:30 CEST (+2)
           Case{k_lord_howe, local_days{2026_y / 4 / 5} + hours{1} + minutes{45},
                "2026-04-04T14:45:00.000Z"},  // 01:45 at +11, not +10:30
       }) {
    ASSERT_EQ(tz(c.zone).get_info(c.local).result, date::local_info::ambiguous) << c.zone;
    EXPECT_EQ(format_rfc3339(local_to_utc(c.local, tz(c.zone))), c.expected) << c.zone;
  }
}

// ---- the set of a rule, property-style over every day of 2024–2027 as DTSTART ----

TEST(FirstOccurrences, MonthlyOn31stOnlyInMonthsThatHaveOne) {
  for (auto d = k_first_day; d <= k_last_day; d += date::days{1}) {
    const Instant start = sys(k_berlin, d, hours{9});
    const date::year_month_day ymd{d};
    std::vector<Instant> expected{start};
    for (auto ym = ymd.year() / ymd.month(); expected.size() < 8; ym += date::months{1}) {
      const auto candidate = ym / 31;
      if (candidate.ok() && local_days{candidate} > d) {
        expected.push_back(sys(k_berlin, local_days{candidate}, hours{9}));
      }
    }
    ASSERT_EQ(texts(occurrences("FREQ=MONTHLY;BYMONTHDAY=31", k_berlin, start, 8)), texts(expected))
        << day_text(d);
  }
}

TEST(FirstOccurrences, MonthlyOnDayMinusOneIsTheRealLastDay) {
  for (auto d = k_first_day; d <= k_last_day; d += date::days{1}) {
    const Instant start = sys(k_new_york, d, hours{18});
    const date::year_month_day ymd{d};
    std::vector<Instant> expected{start};
    for (auto ym = ymd.year() / ymd.month(); expected.size() < 8; ym += date::months{1}) {
      const local_days last{ym / date::last};
      if (last > d) expected.push_back(sys(k_new_york, last, hours{18}));
    }
    ASSERT_EQ(texts(occurrences("FREQ=MONTHLY;BYMONTHDAY=-1", k_new_york, start, 8)),
              texts(expected))
        << day_text(d);
  }
}

TEST(FirstOccurrences, YearlyRepeatsTheStartDayAndFeb29OnlyInLeapYears) {
  for (auto d = k_first_day; d <= k_last_day; d += date::days{1}) {
    const Instant start = sys(k_new_york, d, hours{12});
    const date::year_month_day ymd{d};
    std::vector<Instant> expected{start};
    for (auto y = ymd.year() + date::years{1}; expected.size() < 5; y += date::years{1}) {
      const auto candidate = y / ymd.month() / ymd.day();
      if (candidate.ok()) expected.push_back(sys(k_new_york, local_days{candidate}, hours{12}));
    }
    ASSERT_EQ(texts(occurrences("FREQ=YEARLY", k_new_york, start, 5)), texts(expected))
        << day_text(d);
  }
  EXPECT_EQ(texts(occurrences("FREQ=YEARLY", "UTC", utc("2024-02-29T09:00:00Z"), 3)),
            (std::vector<std::string>{"2024-02-29T09:00:00.000Z", "2028-02-29T09:00:00.000Z",
                                      "2032-02-29T09:00:00.000Z"}));
}

TEST(FirstOccurrences, LastFridayOfEachMonth) {
  for (auto d = k_first_day; d <= k_last_day; d += date::days{1}) {
    const Instant start = sys(k_berlin, d, hours{17});
    const auto got = occurrences("FREQ=MONTHLY;BYDAY=-1FR", k_berlin, start, 13);
    ASSERT_EQ(got.size(), 13U);
    const date::year_month_day ymd{d};
    std::vector<Instant> expected{start};
    for (auto ym = ymd.year() / ymd.month(); expected.size() < 13; ym += date::months{1}) {
      const local_days last_friday{ym / date::Friday[date::last]};
      if (last_friday > d) expected.push_back(sys(k_berlin, last_friday, hours{17}));
    }
    ASSERT_EQ(texts(got), texts(expected)) << day_text(d);
    for (std::size_t i = 1; i < got.size(); ++i) {
      const auto day = date::floor<date::days>(wall(k_berlin, got[i]));
      ASSERT_EQ(date::weekday{day}, date::Friday) << day_text(day);
      ASSERT_NE(date::year_month_day{day + date::days{7}}.month(),
                date::year_month_day{day}.month())
          << day_text(day);
    }
  }
}

TEST(FirstOccurrences, BySetPosGivesTheLastWeekdayOfTheMonth) {
  for (auto d = k_first_day; d <= k_last_day; d += date::days{1}) {
    const Instant start = sys(k_new_york, d, hours{9});
    const date::year_month_day ymd{d};
    std::vector<Instant> expected{start};
    for (auto ym = ymd.year() / ymd.month(); expected.size() < 12; ym += date::months{1}) {
      local_days day{ym / date::last};
      while (date::weekday{day} == date::Saturday || date::weekday{day} == date::Sunday) {
        day -= date::days{1};
      }
      if (day > d) expected.push_back(sys(k_new_york, day, hours{9}));
    }
    ASSERT_EQ(
        texts(occurrences("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", k_new_york, start, 12)),
        texts(expected))
        << day_text(d);
  }
}

TEST(FirstOccurrences, SecondTuesdayOfEachMonth) {
  for (auto d = k_first_day; d <= k_last_day; d += date::days{1}) {
    const Instant start = sys(k_lord_howe, d, hours{10});
    const date::year_month_day ymd{d};
    std::vector<Instant> expected{start};
    for (auto ym = ymd.year() / ymd.month(); expected.size() < 12; ym += date::months{1}) {
      const local_days second_tuesday{ym / date::Tuesday[2]};
      if (second_tuesday > d) expected.push_back(sys(k_lord_howe, second_tuesday, hours{10}));
    }
    ASSERT_EQ(texts(occurrences("FREQ=MONTHLY;BYDAY=2TU", k_lord_howe, start, 12)), texts(expected))
        << day_text(d);
  }
}

TEST(FirstOccurrences, WeeklyKeepsWeekdayAndWallTimeFromAnyStart) {
  for (const auto zone : {k_new_york, k_berlin, k_lord_howe}) {
    for (auto d = k_first_day; d <= k_last_day; d += date::days{3}) {
      const Instant start = sys(zone, d, hours{7} + minutes{45});
      const auto got = occurrences("FREQ=WEEKLY", zone, start, 60);
      ASSERT_EQ(got.size(), 60U);
      for (std::size_t i = 0; i < got.size(); ++i) {
        const LocalMs expected = d + date::days{7 * static_cast<int>(i)} + hours{7} + minutes{45};
        ASSERT_EQ(wall(zone, got[i]), expected) << zone << " from " << day_text(d) << " #" << i;
      }
    }
  }
}

// ---- wall time across DST ----

TEST(FirstOccurrences, Daily0900StaysAt0900AcrossDstForTwoYears) {
  struct Case {
    std::string_view zone;
    minutes short_day;  // the day DST starts
    minutes long_day;   // the day DST ends
  };
  for (const auto& c :
       {Case{k_new_york, hours{23}, hours{25}}, Case{k_berlin, hours{23}, hours{25}},
        Case{k_lord_howe, hours{23} + minutes{30}, hours{24} + minutes{30}}}) {
    const local_days first{2026_y / 1 / 1};
    const auto got = occurrences("FREQ=DAILY", c.zone, sys(c.zone, first, hours{9}), 731);
    ASSERT_EQ(got.size(), 731U);
    int short_days = 0;
    int long_days = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      const LocalMs expected = first + date::days{static_cast<int>(i)} + hours{9};
      ASSERT_EQ(wall(c.zone, got[i]), expected) << c.zone << " #" << i;
      if (i == 0) continue;
      const auto gap = got[i] - got[i - 1];
      if (gap == c.short_day) ++short_days;
      if (gap == c.long_day) ++long_days;
    }
    EXPECT_EQ(short_days, 2) << c.zone;
    EXPECT_EQ(long_days, 2) << c.zone;
  }
}

TEST(FirstOccurrences, SpringForwardGapUsesTheOffsetBeforeIt) {
  const auto ny = occurrences("FREQ=DAILY", k_new_york, utc("2026-03-06T07:30:00Z"), 4);
  EXPECT_EQ(texts(ny), (std::vector<std::string>{
                           "2026-03-06T07:30:00.000Z",  // 02:30 EST
                           "2026-03-07T07:30:00.000Z",  // 02:30 EST
                           "2026-03-08T07:30:00.000Z",  // 02:30 does not exist: 03:30 EDT
                           "2026-03-09T06:30:00.000Z",  // 02:30 EDT
                       }));
  const auto lord_howe = occurrences("FREQ=DAILY", k_lord_howe, utc("2026-10-02T15:45:00Z"), 3);
  EXPECT_EQ(texts(lord_howe), (std::vector<std::string>{
                                  "2026-10-02T15:45:00.000Z",  // 02:15 at +10:30
                                  "2026-10-03T15:45:00.000Z",  // 02:15 does not exist: 02:45 +11
                                  "2026-10-04T15:15:00.000Z",  // 02:15 at +11
                              }));
}

TEST(FirstOccurrences, FallBackRepeatIsItsFirstOccurrence) {
  const auto ny = occurrences("FREQ=DAILY", k_new_york, utc("2026-10-31T05:30:00Z"), 3);
  EXPECT_EQ(texts(ny), (std::vector<std::string>{
                           "2026-10-31T05:30:00.000Z",  // 01:30 EDT
                           "2026-11-01T05:30:00.000Z",  // 01:30 twice: the EDT one
                           "2026-11-02T06:30:00.000Z",  // 01:30 EST
                       }));
  const auto lord_howe = occurrences("FREQ=DAILY", k_lord_howe, utc("2026-04-03T14:45:00Z"), 3);
  EXPECT_EQ(texts(lord_howe), (std::vector<std::string>{
                                  "2026-04-03T14:45:00.000Z",  // 01:45 at +11
                                  "2026-04-04T14:45:00.000Z",  // 01:45 twice: the +11 one
                                  "2026-04-05T15:15:00.000Z",  // 01:45 at +10:30
                              }));
}

// ---- DTSTART, COUNT, UNTIL ----

TEST(FirstOccurrences, DtstartIsOccurrenceZeroEvenOffTheRule) {
  // 2026-03-03 is a Tuesday; the rule wants Mondays.
  const Instant start = sys(k_berlin, local_days{2026_y / 3 / 3}, hours{9});
  EXPECT_EQ(texts(occurrences("FREQ=WEEKLY;BYDAY=MO", k_berlin, start, 3)),
            texts({start, sys(k_berlin, local_days{2026_y / 3 / 9}, hours{9}),
                   sys(k_berlin, local_days{2026_y / 3 / 16}, hours{9})}));
  EXPECT_EQ(texts(occurrences("FREQ=WEEKLY;BYDAY=MO;COUNT=2", k_berlin, start, 5)),
            texts({start, sys(k_berlin, local_days{2026_y / 3 / 9}, hours{9})}));
}

TEST(FirstOccurrences, KeepsMilliseconds) {
  const auto got = occurrences("FREQ=DAILY", k_berlin, utc("2026-01-05T08:00:00.250Z"), 2);
  EXPECT_EQ(texts(got),
            (std::vector<std::string>{"2026-01-05T08:00:00.250Z", "2026-01-06T08:00:00.250Z"}));
}

TEST(FirstOccurrences, CountEndsTheSet) {
  const local_days first{2026_y / 1 / 5};
  EXPECT_EQ(texts(occurrences("FREQ=DAILY;COUNT=3", k_berlin, sys(k_berlin, first, hours{9}), 10)),
            texts({sys(k_berlin, first, hours{9}), sys(k_berlin, first + date::days{1}, hours{9}),
                   sys(k_berlin, first + date::days{2}, hours{9})}));
  EXPECT_EQ(occurrences("FREQ=DAILY;COUNT=1", k_berlin, sys(k_berlin, first, hours{9}), 10).size(),
            1U);
}

TEST(FirstOccurrences, UntilIncludesAnOccurrenceExactlyAtIt) {
  // Berlin 09:00 in January is 08:00Z; the series runs 5–10 January when UNTIL is the 10th 08:00Z.
  const Instant start = sys(k_berlin, local_days{2026_y / 1 / 5}, hours{9});
  struct Case {
    const char* rrule;
    std::size_t count;
  };
  for (const auto& c :
       {Case{"FREQ=DAILY;UNTIL=20260110T080000Z", 6}, Case{"FREQ=DAILY;UNTIL=20260110T075959Z", 5},
        Case{"FREQ=DAILY;UNTIL=20260110T090000", 6},  // floating: wall time
        Case{"FREQ=DAILY;UNTIL=20260110T085959", 5},
        Case{"FREQ=DAILY;UNTIL=20260110", 6},  // DATE: the whole local day
        Case{"FREQ=DAILY;UNTIL=20260109", 5}}) {
    const auto got = occurrences(c.rrule, k_berlin, start, 20);
    ASSERT_EQ(got.size(), c.count) << c.rrule;
    EXPECT_EQ(got.back(), sys(k_berlin, local_days{2026_y / 1 / 4} + date::days{c.count}, hours{9}))
        << c.rrule;
  }
}

TEST(FirstOccurrences, UtcUntilIsComparedAsAnInstant) {
  // 09:00 EDT on 10 March is 13:00Z: after an UNTIL of 10:00Z although 09:00 < 10:00.
  const Instant start = sys(k_new_york, local_days{2026_y / 3 / 5}, hours{9});
  const auto got = occurrences("FREQ=DAILY;UNTIL=20260310T100000Z", k_new_york, start, 20);
  ASSERT_EQ(got.size(), 5U);
  EXPECT_EQ(format_rfc3339(got.back()), "2026-03-09T13:00:00.000Z");
  EXPECT_EQ(occurrences("FREQ=DAILY;UNTIL=20260310T130000Z", k_new_york, start, 20).size(), 6U);
}

TEST(FirstOccurrences, RefusesBadInput) {
  const Instant start = utc("2026-01-05T08:00:00Z");
  auto zone = first_occurrences("FREQ=DAILY", "Mars/Olympus_Mons", start, 3);
  expect_field_error(zone ? Status{} : Status{zone.error()}, "time_zone", "zone");
  auto rule = first_occurrences("FREQ=HOURLY", k_berlin, start, 3);
  expect_field_error(rule ? Status{} : Status{rule.error()}, "recurrence", "rule");
  EXPECT_FALSE(first_occurrences("FREQ=DAILY", k_berlin, start, -1));
  EXPECT_FALSE(first_occurrences("FREQ=DAILY", k_berlin, start, k_max_preview_occurrences + 1));
  const auto none = first_occurrences("FREQ=DAILY", k_berlin, start, 0);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(first_occurrences("FREQ=DAILY", k_berlin, utc("2600-01-01T00:00:00Z"), 3));
}

}  // namespace
}  // namespace tickler::core
