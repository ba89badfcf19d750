#include "core/quick_add.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace tickler::core {
namespace {

// Expected values are worked out by hand from the calendar, not taken from the parser:
//   now 2026-11-26T15:00:00Z is Thursday 26 November, 16:00 in Berlin (CET, UTC+1) and 10:00 in
//   New York (EST, UTC-5). This week runs Mon 23 – Sun 29 November; next week Mon 30 November –
//   Sun 6 December. 09:00 Berlin = 08:00Z, 09:00 New York = 14:00Z.
//   Berlin DST: starts 2027-03-28 (02:00 CET → 03:00 CEST, at 01:00Z); ends 2026-10-25 (03:00 CEST
//   → 02:00 CET, at 01:00Z). New York DST starts 2027-03-14 (02:00 EST → 03:00 EDT).
constexpr const char* k_now = "2026-11-26T15:00:00Z";
constexpr const char* k_berlin = "Europe/Berlin";
constexpr const char* k_new_york = "America/New_York";

// One phrase and everything parse_quick_add should read from it.
struct Row {
  const char* input;
  const char* title;
  std::vector<std::string> tags = {};
  std::optional<Priority> priority = std::nullopt;
  const char* due = nullptr;  // RFC 3339 UTC, or none
  const char* rrule = nullptr;
  const char* mode = nullptr;
  std::vector<int> reminders = {};
  const char* zone = k_berlin;
  const char* now = k_now;
};

const std::vector<Row> k_rows = {
    // The example from the brief.
    {.input = "Pay rent every month on the 1st at 9am #home !high",
     .title = "Pay rent",
     .tags = {"home"},
     .priority = Priority::high,
     .due = "2026-12-01T08:00:00Z",
     .rrule = "FREQ=MONTHLY;BYMONTHDAY=1",
     .mode = "schedule"},

    // Nothing to recognise: the title is the line (trimmed, spaces collapsed).
    {.input = "Buy milk", .title = "Buy milk"},
    {.input = "  Buy   oat milk  ", .title = "Buy oat milk"},
    {.input = "Review Mondays notes", .title = "Review Mondays notes"},
    {.input = "Plan everything for everyone", .title = "Plan everything for everyone"},
    {.input = "Check every detail", .title = "Check every detail"},
    {.input = "Everyday carry", .title = "Everyday carry"},
    {.input = "Sun cream", .title = "Sun cream"},
    {.input = "Meet at home", .title = "Meet at home"},
    {.input = "Fix bug #123", .title = "Fix bug #123"},
    {.input = "## Notes #work", .title = "## Notes", .tags = {"work"}},
    {.input = "Pay 13pm fee", .title = "Pay 13pm fee"},
    {.input = "Call 25:00", .title = "Call 25:00"},
    {.input = "Gifts Feb 30", .title = "Gifts Feb 30"},

    // Dates without a time are due at 09:00 local.
    {.input = "Call mom today", .title = "Call mom", .due = "2026-11-26T08:00:00Z"},
    {.input = "Call mom tomorrow", .title = "Call mom", .due = "2026-11-27T08:00:00Z"},
    {.input = "Call mom tomorrow.", .title = "Call mom", .due = "2026-11-27T08:00:00Z"},
    {.input = "Gym friday", .title = "Gym", .due = "2026-11-27T08:00:00Z"},
    {.input = "Gym on Thursday", .title = "Gym", .due = "2026-12-03T08:00:00Z"},
    {.input = "Gym wednesday", .title = "Gym", .due = "2026-12-02T08:00:00Z"},
    {.input = "Party on sat", .title = "Party", .due = "2026-11-28T08:00:00Z"},
    {.input = "Gym next friday", .title = "Gym", .due = "2026-12-04T08:00:00Z"},
    {.input = "Gym next thursday", .title = "Gym", .due = "2026-12-03T08:00:00Z"},
    {.input = "Gym next monday 7am", .title = "Gym", .due = "2026-11-30T06:00:00Z"},
    {.input = "Water plants in 3 days at 18:00",
     .title = "Water plants",
     .due = "2026-11-29T17:00:00Z"},
    {.input = "Renew passport in 2 weeks",
     .title = "Renew passport",
     .due = "2026-12-10T08:00:00Z"},
    {.input = "Buy gifts 2026-12-24", .title = "Buy gifts", .due = "2026-12-24T08:00:00Z"},
    {.input = "Buy gifts Dec 24", .title = "Buy gifts", .due = "2026-12-24T08:00:00Z"},
    {.input = "Buy gifts 24 Dec", .title = "Buy gifts", .due = "2026-12-24T08:00:00Z"},
    {.input = "Buy gifts december 24th", .title = "Buy gifts", .due = "2026-12-24T08:00:00Z"},
    {.input = "Buy gifts by 24/12", .title = "Buy gifts", .due = "2026-12-24T08:00:00Z"},
    {.input = "Send card on 3 jan", .title = "Send card", .due = "2027-01-03T08:00:00Z"},
    {.input = "Party 31/12 at 20:00", .title = "Party", .due = "2026-12-31T19:00:00Z"},
    // A fraction is not a date unless led by "on"/"by"; quoted text is taken literally.
    {.input = "Read 1/2 of the book", .title = "Read 1/2 of the book"},
    {.input = "Read 1/2 of the book tomorrow",
     .title = "Read 1/2 of the book",
     .due = "2026-11-27T08:00:00Z"},
    {.input = "Pay rent by 1/2", .title = "Pay rent", .due = "2027-02-01T08:00:00Z"},
    {.input = "Buy gifts 1/12", .title = "Buy gifts", .due = "2026-12-01T08:00:00Z"},
    {.input = "\"Read 1/2 of the book\"", .title = "Read 1/2 of the book"},
    {.input = "\"Meet on Friday\" tomorrow #club",
     .title = "Meet on Friday",
     .tags = {"club"},
     .due = "2026-11-27T08:00:00Z"},
    {.input = "Watch \"Friday Night Lights\" at 8pm",
     .title = "Watch \"Friday Night Lights\"",
     .due = "2026-11-26T19:00:00Z"},
    {.input = "\"every day\" by 24/12", .title = "every day", .due = "2026-12-24T08:00:00Z"},
    {.input = "Say \"hi tomorrow", .title = "Say \"hi", .due = "2026-11-27T08:00:00Z"},
    {.input = "Leap day party 29 Feb", .title = "Leap day party", .due = "2028-02-29T08:00:00Z"},
    // June is summer time (UTC+2).
    {.input = "File taxes 15/06/2027", .title = "File taxes", .due = "2027-06-15T07:00:00Z"},
    {.input = "Call Bob, tomorrow, about the offer",
     .title = "Call Bob, about the offer",
     .due = "2026-11-27T08:00:00Z"},
    {.input = "tomorrow - call the bank", .title = "call the bank", .due = "2026-11-27T08:00:00Z"},
    {.input = "Notes: tomorrow", .title = "Notes", .due = "2026-11-27T08:00:00Z"},
    {.input = "Plan Q3:", .title = "Plan Q3:"},

    // Times: today if not before now (16:00 local), else tomorrow; 12 h and 24 h clocks.
    {.input = "Call mom at 9am", .title = "Call mom", .due = "2026-11-27T08:00:00Z"},
    {.input = "Call mom at 5pm", .title = "Call mom", .due = "2026-11-26T16:00:00Z"},
    {.input = "Call mom 4pm", .title = "Call mom", .due = "2026-11-26T15:00:00Z"},
    {.input = "Call mom 3:59pm", .title = "Call mom", .due = "2026-11-27T14:59:00Z"},
    {.input = "Standup 9:30pm", .title = "Standup", .due = "2026-11-26T20:30:00Z"},
    {.input = "Standup 21:30", .title = "Standup", .due = "2026-11-26T20:30:00Z"},
    {.input = "Standup at 18:45", .title = "Standup", .due = "2026-11-26T17:45:00Z"},
    {.input = "Dinner 9 pm", .title = "Dinner", .due = "2026-11-26T20:00:00Z"},
    {.input = "Lunch at noon", .title = "Lunch", .due = "2026-11-27T11:00:00Z"},
    {.input = "Lunch 12pm tomorrow", .title = "Lunch", .due = "2026-11-27T11:00:00Z"},
    {.input = "Backup at midnight", .title = "Backup", .due = "2026-11-26T23:00:00Z"},
    {.input = "Backup 12am", .title = "Backup", .due = "2026-11-26T23:00:00Z"},
    {.input = "Backup 00:30", .title = "Backup", .due = "2026-11-26T23:30:00Z"},
    {.input = "TOMORROW 9AM call Bob", .title = "call Bob", .due = "2026-11-27T08:00:00Z"},

    // Recurrence: due is the first occurrence not before now, 09:00 unless a time is given.
    {.input = "Exercise every day",
     .title = "Exercise",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=DAILY",
     .mode = "schedule"},
    {.input = "Exercise daily at 18:00",
     .title = "Exercise",
     .due = "2026-11-26T17:00:00Z",
     .rrule = "FREQ=DAILY",
     .mode = "schedule"},
    {.input = "Stretch every weekday",
     .title = "Stretch",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
     .mode = "schedule"},
    {.input = "Team sync every week",
     .title = "Team sync",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=WEEKLY",
     .mode = "schedule"},
    {.input = "Team sync weekly at 17:30",
     .title = "Team sync",
     .due = "2026-11-26T16:30:00Z",
     .rrule = "FREQ=WEEKLY",
     .mode = "schedule"},
    {.input = "Piano every 2 weeks on mon,wed",
     .title = "Piano",
     .due = "2026-11-30T08:00:00Z",
     .rrule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
     .mode = "schedule"},
    {.input = "Piano every 2 weeks on monday and wednesday at 5pm",
     .title = "Piano",
     .due = "2026-11-30T16:00:00Z",
     .rrule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
     .mode = "schedule"},
    {.input = "Trash every monday",
     .title = "Trash",
     .due = "2026-11-30T08:00:00Z",
     .rrule = "FREQ=WEEKLY;BYDAY=MO",
     .mode = "schedule"},
    {.input = "EVERY THURSDAY Trash",
     .title = "Trash",
     .due = "2026-12-03T08:00:00Z",
     .rrule = "FREQ=WEEKLY;BYDAY=TH",
     .mode = "schedule"},
    {.input = "Trash every thursday at 7pm",
     .title = "Trash",
     .due = "2026-11-26T18:00:00Z",
     .rrule = "FREQ=WEEKLY;BYDAY=TH",
     .mode = "schedule"},
    {.input = "Yoga every fri and wed",
     .title = "Yoga",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=WEEKLY;BYDAY=WE,FR",
     .mode = "schedule"},
    {.input = "Invoice monthly",
     .title = "Invoice",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=MONTHLY",
     .mode = "schedule"},
    // November has no 31st.
    {.input = "Pay bills every month on the 31st",
     .title = "Pay bills",
     .due = "2026-12-31T08:00:00Z",
     .rrule = "FREQ=MONTHLY;BYMONTHDAY=31",
     .mode = "schedule"},
    {.input = "Budget every month on the last day",
     .title = "Budget",
     .due = "2026-11-30T08:00:00Z",
     .rrule = "FREQ=MONTHLY;BYMONTHDAY=-1",
     .mode = "schedule"},
    {.input = "Review every last friday",
     .title = "Review",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=MONTHLY;BYDAY=-1FR",
     .mode = "schedule"},
    {.input = "Review every month on the last friday at 15:00",
     .title = "Review",
     .due = "2026-11-27T14:00:00Z",
     .rrule = "FREQ=MONTHLY;BYDAY=-1FR",
     .mode = "schedule"},
    // First Monday of November (2nd) is past; December's is the 7th.
    {.input = "Club every first monday",
     .title = "Club",
     .due = "2026-12-07T08:00:00Z",
     .rrule = "FREQ=MONTHLY;BYDAY=1MO",
     .mode = "schedule"},
    {.input = "Club every month on the second tuesday",
     .title = "Club",
     .due = "2026-12-08T08:00:00Z",
     .rrule = "FREQ=MONTHLY;BYDAY=2TU",
     .mode = "schedule"},
    {.input = "Renew domain every year",
     .title = "Renew domain",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=YEARLY",
     .mode = "schedule"},
    {.input = "Renew domain yearly",
     .title = "Renew domain",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=YEARLY",
     .mode = "schedule"},
    {.input = "Birthday card every year on dec 24",
     .title = "Birthday card",
     .due = "2026-12-24T08:00:00Z",
     .rrule = "FREQ=YEARLY",
     .mode = "schedule"},
    {.input = "Water plants every 3 days",
     .title = "Water plants",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=DAILY;INTERVAL=3",
     .mode = "schedule"},
    {.input = "Water plants every! 3 days",
     .title = "Water plants",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=DAILY;INTERVAL=3",
     .mode = "completion"},
    {.input = "Haircut every! 4 weeks #self",
     .title = "Haircut",
     .tags = {"self"},
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=WEEKLY;INTERVAL=4",
     .mode = "completion"},
    {.input = "Order filters every other week",
     .title = "Order filters",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=WEEKLY;INTERVAL=2",
     .mode = "schedule"},
    {.input = "Backup every 6 months",
     .title = "Backup",
     .due = "2026-11-27T08:00:00Z",
     .rrule = "FREQ=MONTHLY;INTERVAL=6",
     .mode = "schedule"},

    // Tags, priority, reminders.
    {.input = "Dentist tomorrow 10am remind me 30 min before",
     .title = "Dentist",
     .due = "2026-11-27T09:00:00Z",
     .reminders = {30}},
    {.input = "Dentist friday at 14:00 remind me 1 hour before",
     .title = "Dentist",
     .due = "2026-11-27T13:00:00Z",
     .reminders = {60}},
    {.input = "Flight dec 24 at 6am remind me 2h before remind me 1 day before",
     .title = "Flight",
     .due = "2026-12-24T05:00:00Z",
     .reminders = {120, 1440}},
    {.input = "Buy milk remind me an hour before", .title = "Buy milk", .reminders = {60}},
    {.input = "Tax return #finance #Home !1",
     .title = "Tax return",
     .tags = {"finance", "home"},
     .priority = Priority::high},
    {.input = "Tidy desk !low", .title = "Tidy desk", .priority = Priority::low},
    {.input = "Tidy desk !3 #home #HOME",
     .title = "Tidy desk",
     .tags = {"home"},
     .priority = Priority::low},
    {.input = "Email Bob !medium tomorrow",
     .title = "Email Bob",
     .priority = Priority::medium,
     .due = "2026-11-27T08:00:00Z"},
    {.input = "Pick a !high !low", .title = "Pick a !low", .priority = Priority::high},
    // Nothing left for a title: the line minus tags and priority.
    {.input = "tomorrow 9am #home",
     .title = "tomorrow 9am",
     .tags = {"home"},
     .due = "2026-11-27T08:00:00Z"},

    // Across DST changes in Berlin.
    {.input = "Run tomorrow 9am",
     .title = "Run",
     .due = "2027-03-28T07:00:00Z",
     .now = "2027-03-27T12:00:00Z"},
    // 02:30 does not exist on 28 March: the offset before the gap (+01:00) applies.
    {.input = "Backup tomorrow 2:30am",
     .title = "Backup",
     .due = "2027-03-28T01:30:00Z",
     .now = "2027-03-27T12:00:00Z"},
    // 02:30 happens twice on 25 October: the earlier one (+02:00).
    {.input = "Backup tomorrow 2:30am",
     .title = "Backup",
     .due = "2026-10-25T00:30:00Z",
     .now = "2026-10-24T12:00:00Z"},
    {.input = "Stretch every day at 9am",
     .title = "Stretch",
     .due = "2027-03-28T07:00:00Z",
     .rrule = "FREQ=DAILY",
     .mode = "schedule",
     .now = "2027-03-27T12:00:00Z"},
    // 23:30Z is already Friday 00:30 in Berlin.
    {.input = "Call today",
     .title = "Call",
     .due = "2026-11-27T08:00:00Z",
     .now = "2026-11-26T23:30:00Z"},

    // New York.
    {.input = "Call mom tomorrow 9am",
     .title = "Call mom",
     .due = "2026-11-27T14:00:00Z",
     .zone = k_new_york},
    {.input = "Call mom 11am",
     .title = "Call mom",
     .due = "2026-11-26T16:00:00Z",
     .zone = k_new_york},
    {.input = "Call mom 9am",
     .title = "Call mom",
     .due = "2026-11-27T14:00:00Z",
     .zone = k_new_york},
    {.input = "Standup every weekday at 9:30am",
     .title = "Standup",
     .due = "2026-11-27T14:30:00Z",
     .rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
     .mode = "schedule",
     .zone = k_new_york},
    {.input = "Pay rent every month on the 1st",
     .title = "Pay rent",
     .due = "2026-12-01T14:00:00Z",
     .rrule = "FREQ=MONTHLY;BYMONTHDAY=1",
     .mode = "schedule",
     .zone = k_new_york},
    {.input = "Call today",
     .title = "Call",
     .due = "2026-11-26T14:00:00Z",
     .zone = k_new_york,
     .now = "2026-11-26T23:30:00Z"},
    {.input = "Backup tomorrow 2:30am",
     .title = "Backup",
     .due = "2027-03-14T07:30:00Z",
     .zone = k_new_york,
     .now = "2027-03-13T17:00:00Z"},
    {.input = "Run tomorrow 9am",
     .title = "Run",
     .due = "2027-03-14T13:00:00Z",
     .zone = k_new_york,
     .now = "2027-03-13T17:00:00Z"},
};

std::string text_of(const std::optional<Instant>& t) {
  return t ? format_rfc3339(*t) : "none";
}
std::string text_of(const std::optional<std::string>& s) {
  return s ? *s : "none";
}
std::string text_of(const char* s) {
  return s ? s : "none";
}
std::string text_of(const std::optional<Priority>& p) {
  return p ? std::string{to_string(*p)} : "none";
}

Instant instant(const char* rfc3339) {
  const auto t = parse_rfc3339(rfc3339);
  if (!t) throw std::invalid_argument(std::string{"bad instant in test table: "} + rfc3339);
  return *t;
}

std::string field_of(const Error& e) {
  const auto it = e.details.find("field");
  return it == e.details.end() ? "" : std::get<std::string>(it->second);
}

TEST(QuickAdd, ReadsEveryPhraseInTheTable) {
  ASSERT_GE(k_rows.size(), 60u);
  for (const auto& row : k_rows) {
    SCOPED_TRACE(std::string{row.input} + "  [" + row.zone + ", now " + row.now + "]");
    const auto got = parse_quick_add(row.input, instant(row.now), row.zone);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->title, row.title);
    EXPECT_EQ(got->tags, row.tags);
    EXPECT_EQ(text_of(got->priority), text_of(row.priority));
    EXPECT_EQ(text_of(got->due_at), row.due ? format_rfc3339(instant(row.due)) : "none");
    EXPECT_EQ(text_of(got->rrule), text_of(row.rrule));
    EXPECT_EQ(text_of(got->recurrence_mode), text_of(row.mode));
    EXPECT_EQ(got->remind_before_minutes, row.reminders);
  }
}

TEST(QuickAdd, RejectsLinesOver500Characters) {
  const auto now = instant(k_now);
  const std::string at_limit = std::string(150, 'x') + std::string(350, ' ');
  const auto ok = parse_quick_add(at_limit, now, k_berlin);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->title, std::string(150, 'x'));

  const auto long_line = parse_quick_add(at_limit + "y", now, k_berlin);
  ASSERT_FALSE(long_line);
  EXPECT_EQ(field_of(long_line.error()), "quick");
}

TEST(QuickAdd, RejectsUnknownTimeZones) {
  for (const char* zone : {"Mars/Olympus", "", "europe/berlin"}) {
    const auto got = parse_quick_add("Buy milk tomorrow", instant(k_now), zone);
    ASSERT_FALSE(got) << zone;
    EXPECT_EQ(field_of(got.error()), "time_zone") << zone;
  }
}

TEST(QuickAdd, NeedsATitle) {
  for (const char* line : {"", "   ", "#home !high", "#home, #work"}) {
    const auto got = parse_quick_add(line, instant(k_now), k_berlin);
    ASSERT_FALSE(got) << line;
    EXPECT_EQ(field_of(got.error()), "quick") << line;
  }
}

TEST(QuickAdd, RejectsInvalidTags) {
  const auto got = parse_quick_add("Buy milk #" + std::string(41, 'a'), instant(k_now), k_berlin);
  ASSERT_FALSE(got);
  EXPECT_EQ(field_of(got.error()), "tags");
}

}  // namespace
}  // namespace tickler::core
