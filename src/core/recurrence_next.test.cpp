#include "core/recurrence.hpp"
#include "core/recurrence_test_support.hpp"

namespace tickler::core {
namespace {

// recurrence_test brings the zones, helpers and the date/chrono names they use.
using namespace recurrence_test;

// ---- next_occurrence: schedule mode ----

TEST(NextOccurrence, ScheduleFollowsThePreviousDue) {
  const Recurrence weekly{"FREQ=WEEKLY;BYDAY=MO", RecurrenceMode::schedule};
  const Instant start = sys(k_berlin, local_days{2026_y / 3 / 2}, hours{9});  // a Monday
  const Instant current = sys(k_berlin, local_days{2026_y / 3 / 23}, hours{9});
  const Instant now = current + hours{1};
  // Berlin moves to summer time on 29 March: still 09:00 local on the 30th.
  const auto got = next(weekly, k_berlin, {start, current, 3}, now, now);
  ASSERT_TRUE(got);
  EXPECT_EQ(format_rfc3339(got->due), "2026-03-30T07:00:00.000Z");
  EXPECT_EQ(got->index, 4);
}

TEST(NextOccurrence, ScheduleSkipsToTheFirstOccurrenceAfterNow) {
  const Recurrence daily{"FREQ=DAILY", RecurrenceMode::schedule};
  const local_days first{2026_y / 1 / 1};
  const SeriesPosition at{sys(k_berlin, first, hours{9}),
                          sys(k_berlin, first + date::days{9}, hours{9}), 9};
  struct Case {
    Instant now;
    int index;  // the expected day, 0 = 1 January
  };
  for (const auto& c : {
           Case{sys(k_berlin, first + date::days{14}, hours{12}), 15},  // late: 10–14 skipped
           Case{sys(k_berlin, first + date::days{14}, hours{9}), 15},   // exactly at one: after it
           Case{sys(k_berlin, first + date::days{14}, hours{8} + minutes{59}), 14},
           Case{sys(k_berlin, first + date::days{7}, hours{12}), 10},  // completed early
       }) {
    const auto got = next(daily, k_berlin, at, c.now, c.now);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->due, sys(k_berlin, first + date::days{c.index}, hours{9}));
    EXPECT_EQ(got->index, c.index);
  }
}

TEST(NextOccurrence, ScheduleIsTheFirstDailyOccurrenceAfterAnyNow) {
  const Recurrence daily{"FREQ=DAILY", RecurrenceMode::schedule};
  const local_days first{2026_y / 1 / 1};
  const Instant start = sys(k_new_york, first, hours{9});
  for (Instant now = start; now < start + date::days{365}; now += hours{31}) {
    const LocalMs local_now = wall(k_new_york, now);
    auto day = date::floor<date::days>(local_now);
    if (local_now >= day + hours{9}) day += date::days{1};
    const auto got = next(daily, k_new_york, {start, start, 0}, now, now);
    ASSERT_TRUE(got);
    ASSERT_EQ(got->due, sys(k_new_york, day, hours{9})) << format_rfc3339(now);
    ASSERT_EQ(got->index, (day - first).count()) << format_rfc3339(now);
  }
}

TEST(NextOccurrence, ScheduleCountConsumesSkippedOccurrences) {
  const Recurrence rule{"FREQ=DAILY;COUNT=3", RecurrenceMode::schedule};
  const local_days first{2026_y / 1 / 5};
  const Instant start = sys(k_berlin, first, hours{9});
  const auto day = [&](int i) { return sys(k_berlin, first + date::days{i}, hours{9}); };

  const auto second = next(rule, k_berlin, {start, day(0), 0}, day(0), day(0));
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, (Occurrence{day(1), 1}));
  const auto third = next(rule, k_berlin, {start, day(1), 1}, day(1), day(1));
  ASSERT_TRUE(third);
  EXPECT_EQ(*third, (Occurrence{day(2), 2}));
  EXPECT_FALSE(next(rule, k_berlin, {start, day(2), 2}, day(2), day(2)));
  // Completed two days late: index 1 and 2 are skipped, and there is no 4th.
  EXPECT_FALSE(next(rule, k_berlin, {start, day(0), 0}, day(2) + hours{1}, day(2) + hours{1}));
}

TEST(NextOccurrence, ScheduleUntilEndsTheSeries) {
  const Recurrence rule{"FREQ=DAILY;UNTIL=20260107T080000Z", RecurrenceMode::schedule};
  const local_days first{2026_y / 1 / 5};
  const Instant start = sys(k_berlin, first, hours{9});
  const Instant day1 = sys(k_berlin, first + date::days{1}, hours{9});
  const auto last = next(rule, k_berlin, {start, day1, 1}, day1, day1);
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, (Occurrence{utc("2026-01-07T08:00:00Z"), 2}));
  EXPECT_FALSE(next(rule, k_berlin, {start, last->due, 2}, last->due, last->due));
}

// ---- next_occurrence: completion mode ----

TEST(NextOccurrence, CompletionReanchorsAtTheLocalDateOfCompletion) {
  const Instant due = sys(k_berlin, local_days{2026_y / 3 / 1}, hours{9});
  struct Case {
    const char* rrule;
    Instant completed_at;
    Instant expected;
  };
  for (const auto& c : {
           Case{"FREQ=DAILY;INTERVAL=3", sys(k_berlin, local_days{2026_y / 3 / 5}, hours{17}),
                sys(k_berlin, local_days{2026_y / 3 / 8}, hours{9})},
           // 23:30Z on the 5th is already the 6th in Berlin.
           Case{"FREQ=DAILY;INTERVAL=3", utc("2026-03-05T23:30:00Z"),
                sys(k_berlin, local_days{2026_y / 3 / 9}, hours{9})},
           // Done on Wednesday the 4th: next Monday.
           Case{"FREQ=WEEKLY;BYDAY=MO", sys(k_berlin, local_days{2026_y / 3 / 4}, hours{12}),
                sys(k_berlin, local_days{2026_y / 3 / 9}, hours{9})},
           // Done on Monday the 9th before 09:00: strictly after Monday 09:00, so the 16th.
           Case{"FREQ=WEEKLY;BYDAY=MO", sys(k_berlin, local_days{2026_y / 3 / 9}, hours{8}),
                sys(k_berlin, local_days{2026_y / 3 / 16}, hours{9})},
           // No BYDAY: a week after the day of completion (Thursday the 12th).
           Case{"FREQ=WEEKLY", sys(k_berlin, local_days{2026_y / 3 / 12}, hours{20}),
                sys(k_berlin, local_days{2026_y / 3 / 19}, hours{9})},
           // Across the change to summer time on 29 March: still 09:00 local.
           Case{"FREQ=DAILY", sys(k_berlin, local_days{2026_y / 3 / 28}, hours{10}),
                sys(k_berlin, local_days{2026_y / 3 / 29}, hours{9})},
           // Anchored on 31 January: February has no 31st.
           Case{"FREQ=MONTHLY", sys(k_berlin, local_days{2026_y / 1 / 31}, hours{10}),
                sys(k_berlin, local_days{2026_y / 3 / 31}, hours{9})},
       }) {
    const auto got = next({c.rrule, RecurrenceMode::completion}, k_berlin, {due, due, 4},
                          c.completed_at, c.completed_at);
    ASSERT_TRUE(got) << c.rrule;
    EXPECT_EQ(format_rfc3339(got->due), format_rfc3339(c.expected)) << c.rrule;
    EXPECT_EQ(got->index, 5) << c.rrule;
  }
}

TEST(NextOccurrence, CompletionEveryOtherDayFromAnyCompletionDay) {
  const Recurrence rule{"FREQ=DAILY;INTERVAL=2", RecurrenceMode::completion};
  const Instant due = sys(k_lord_howe, k_first_day, hours{9} + minutes{30});
  for (auto d = k_first_day; d <= k_last_day; d += date::days{1}) {
    const Instant completed_at = sys(k_lord_howe, d, hours{21});
    const auto got = next(rule, k_lord_howe, {due, due, 0}, completed_at, completed_at);
    ASSERT_TRUE(got);
    ASSERT_EQ(wall(k_lord_howe, got->due), d + date::days{2} + hours{9} + minutes{30})
        << day_text(d);
    ASSERT_EQ(got->index, 1);
  }
}

TEST(NextOccurrence, CompletionHonoursCountAndUntil) {
  const Instant due = sys(k_berlin, local_days{2026_y / 3 / 1}, hours{9});
  const Instant done = sys(k_berlin, local_days{2026_y / 3 / 9}, hours{12});
  const Recurrence count{"FREQ=DAILY;COUNT=3", RecurrenceMode::completion};
  const auto third = next(count, k_berlin, {due, due, 1}, done, done);
  ASSERT_TRUE(third);
  EXPECT_EQ(*third, (Occurrence{sys(k_berlin, local_days{2026_y / 3 / 10}, hours{9}), 2}));
  EXPECT_FALSE(next(count, k_berlin, {due, due, 2}, done, done));

  // 10 March 09:00 in Berlin is 08:00Z: exactly at UNTIL, so included; the 11th is not.
  const Recurrence until{"FREQ=DAILY;UNTIL=20260310T080000Z", RecurrenceMode::completion};
  const auto last = next(until, k_berlin, {due, due, 7}, done, done);
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, (Occurrence{utc("2026-03-10T08:00:00Z"), 8}));
  EXPECT_FALSE(next(until, k_berlin, {due, due, 8}, done + date::days{1}, done + date::days{1}));
}

TEST(NextOccurrence, RefusesAnUnknownZoneOrABadRule) {
  const Instant t = utc("2026-03-01T08:00:00Z");
  const Recurrence daily{"FREQ=DAILY", RecurrenceMode::schedule};
  auto zone = next_occurrence(daily, "Europe/Atlantis", {t, t, 0}, t, t);
  expect_field_error(zone ? Status{} : Status{zone.error()}, "time_zone", "zone");
  auto rule =
      next_occurrence({"FREQ=MINUTELY", RecurrenceMode::completion}, k_berlin, {t, t, 0}, t, t);
  expect_field_error(rule ? Status{} : Status{rule.error()}, "recurrence", "rule");
}

}  // namespace
}  // namespace tickler::core

namespace tickler::core {
namespace {

using namespace recurrence_test;

// A rule with one occurrence every second of the day (86,400 a day).
std::string every_second() {
  std::string rule = "FREQ=DAILY;BYHOUR=";
  for (int h = 0; h < 24; ++h) rule += std::to_string(h) + (h < 23 ? "," : "");
  rule += ";BYMINUTE=";
  for (int m = 0; m < 60; ++m) rule += std::to_string(m) + (m < 59 ? "," : "");
  rule += ";BYSECOND=";
  for (int s = 0; s < 60; ++s) rule += std::to_string(s) + (s < 59 ? "," : "");
  return rule;
}

TEST(RecurrenceCost, ADenseRuleFromLongAgoIsRefusedWhenWritten) {
  const Instant due = utc("2000-01-01T00:00:00Z");
  const Instant now = utc("2026-12-06T10:00:00Z");
  const Recurrence dense{every_second(), RecurrenceMode::schedule};
  expect_field_error(check_recurrence_cost(dense, k_berlin, due, now), "recurrence",
                     "repeats too often");
  // Even due now: 30 days of it are far more than the budget.
  expect_field_error(check_recurrence_cost(dense, k_berlin, now, now), "recurrence",
                     "repeats too often");
  // Ordinary rules, also from years ago, are fine.
  for (const char* rule : {"FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
                           "FREQ=DAILY;BYHOUR=8,12,16,20", "FREQ=MONTHLY;BYMONTHDAY=1"}) {
    EXPECT_TRUE(check_recurrence_cost({rule, RecurrenceMode::schedule}, k_berlin,
                                      utc("2020-01-01T08:00:00Z"), now))
        << rule;
  }
  // COUNT does not change where the walk starts: a long COUNT series from long ago is fine.
  EXPECT_TRUE(check_recurrence_cost({"FREQ=DAILY;COUNT=100000", RecurrenceMode::schedule}, k_berlin,
                                    due, now));
  // COUNT ends the walk early: a dense rule with a small COUNT is cheap.
  EXPECT_TRUE(check_recurrence_cost({every_second() + ";COUNT=10", RecurrenceMode::schedule},
                                    k_berlin, due, now));
}

// Without COUNT the walk resumes at the current occurrence: a daily series started 400 years
// before its current occurrence (over the budget of steps from its start) still finds the next
// one, with the index that counts every occurrence.
TEST(RecurrenceCost, ScheduleResumesAtTheCurrentOccurrence) {
  const Recurrence daily{"FREQ=DAILY", RecurrenceMode::schedule};
  const local_days first{1700_y / 1 / 1};
  const local_days current{2026_y / 3 / 2};
  const int index = static_cast<int>((current - first).count());
  const Instant now = sys(k_berlin, current + date::days{3}, hours{12});
  const auto got =
      next(daily, k_berlin,
           {sys(k_berlin, first, hours{9}), sys(k_berlin, current, hours{9}), index}, now, now);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->due, sys(k_berlin, current + date::days{4}, hours{9}));
  EXPECT_EQ(got->index, index + 4);
}

// Overdue by more occurrences than the budget: the next one is the first after now, at the next
// index; the cost stays bounded.
TEST(RecurrenceCost, AHugelyOverdueDenseSeriesGoesOnAfterNow) {
  const Recurrence dense{every_second(), RecurrenceMode::schedule};
  const Instant start = utc("2026-01-01T00:00:00Z");
  const Instant current = utc("2026-01-01T00:00:05Z");
  const Instant now = utc("2026-06-01T12:00:00.500Z");
  const auto got = next(dense, k_berlin, {start, current, 5}, now, now);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->due, utc("2026-06-01T12:00:01Z"));
  EXPECT_EQ(got->index, 6);
}

}  // namespace
}  // namespace tickler::core

namespace tickler::core {
namespace {

using namespace recurrence_test;

// With COUNT too, the walk resumes at the current occurrence: a dense COUNT series past the budget
// of steps from its start still finds its next occurrence, and COUNT still ends it.
TEST(RecurrenceCost, ACountSeriesResumesAndStillEnds) {
  // Every 30 minutes: 48 a day; occurrence 9,600 is 200 days in.
  const std::string rule = "FREQ=DAILY;BYHOUR=" + [] {
    std::string h;
    for (int i = 0; i < 24; ++i) h += std::to_string(i) + (i < 23 ? "," : "");
    return h;
  }() + ";BYMINUTE=0,30";
  const Instant start = utc("2026-01-01T00:00:00Z");
  const Instant current = start + date::days{200};
  const Instant now = current + minutes{10};
  const auto got = next({rule + ";COUNT=20000", RecurrenceMode::schedule}, "UTC",
                        {start, current, 9600}, now, now);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->due, current + minutes{30});
  EXPECT_EQ(got->index, 9601);
  EXPECT_FALSE(next({rule + ";COUNT=9601", RecurrenceMode::schedule}, "UTC", {start, current, 9600},
                    now, now));
}

// The limit is on occurrences within 30 days: about 5,000 in 30 days is the line.
TEST(RecurrenceCost, TheLimitIsOnDensity) {
  const Instant now = utc("2026-12-06T10:00:00Z");
  const Instant due = utc("2026-12-07T00:00:00Z");
  // 30 days × 24 hours × BYMINUTE values: 7 a hour gives 5,040 (too many), 6 gives 4,320.
  EXPECT_FALSE(check_recurrence_cost(
      {"FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;"
       "BYMINUTE=0,8,16,24,32,40,48",
       RecurrenceMode::schedule},
      "UTC", due, now));
  EXPECT_TRUE(check_recurrence_cost(
      {"FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;"
       "BYMINUTE=0,10,20,30,40,50",
       RecurrenceMode::schedule},
      "UTC", due, now));
}

}  // namespace
}  // namespace tickler::core
