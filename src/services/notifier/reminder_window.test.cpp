// ReminderWindow: what the scheduler holds as one position, how a fill pages up to a window
// ahead, and how loading pauses with too many reminders still to come.
#include "services/notifier/reminder_window.hpp"

#include <gtest/gtest.h>

namespace tickler::services::notifier {
namespace {

using namespace std::chrono_literals;
using core::from_millis;

const core::Instant t0 = from_millis(1'000'000);

store::ReminderRow row(std::string id, core::Instant at) {
  store::ReminderRow r;
  r.id = std::move(id);
  r.remind_at = at;
  return r;
}

PagerSettings settings(int page, std::size_t max_ahead = 1'000) {
  PagerSettings s;
  s.window = 10s;
  s.page = page;
  s.max_ahead = max_ahead;
  s.lead = 1s;
  return s;
}

TEST(ReminderWindow, CoversWhatWasDueAtStartAndNothingAfter) {
  ReminderWindow w{settings(10), t0};
  EXPECT_TRUE(w.covers(t0 - 1h, "a"));
  EXPECT_TRUE(w.covers(t0, "zzz"));  // every id at the start instant
  EXPECT_FALSE(w.covers(t0 + 1ms, "a"));
}

TEST(ReminderWindow, AFillReadsFromTheFrontierUpToAWindowAhead) {
  ReminderWindow w{settings(2), t0};
  auto page = w.next(t0);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->after, (store::ReminderPosition{t0 + 1ms, ""}));
  EXPECT_EQ(page->until, t0 + 10s);
  EXPECT_EQ(page->limit, 2);
  // A full page: more may follow, read on from its last row.
  w.loaded(*page, {row("a", t0 + 1s), row("b", t0 + 1s)}, t0);
  EXPECT_TRUE(w.covers(t0 + 1s, "b"));
  EXPECT_FALSE(w.covers(t0 + 1s, "ba"));  // the same instant, after the page's last id
  page = w.next(t0);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->after, (store::ReminderPosition{t0 + 1s, "b"}));
  EXPECT_EQ(page->until, t0 + 10s);  // the fill's end stays put
  // A short page ends the fill: everything due by its end is covered.
  w.loaded(*page, {row("c", t0 + 1s)}, t0 + 5ms);
  EXPECT_TRUE(w.covers(t0 + 10s, "zzz"));
  EXPECT_FALSE(w.covers(t0 + 10s + 1ms, "a"));
  EXPECT_FALSE(w.next(t0 + 1s));
}

TEST(ReminderWindow, RefillsWhenLessThanHalfAWindowIsLoaded) {
  ReminderWindow w{settings(10), t0};
  auto page = w.next(t0);
  ASSERT_TRUE(page);
  w.loaded(*page, {}, t0);  // nothing in the window: covered all the same
  EXPECT_EQ(w.frontier(), (store::ReminderPosition{t0 + 10s + 1ms, ""}));
  EXPECT_EQ(w.wake_at(), t0 + 5s + 1ms);
  EXPECT_FALSE(w.next(t0 + 5s));
  page = w.next(t0 + 5s + 1ms);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->after, (store::ReminderPosition{t0 + 10s + 1ms, ""}));
  EXPECT_EQ(page->until, t0 + 15s + 1ms);
}

TEST(ReminderWindow, PausesWithTooManyStillToComeUntilTheyComeDueOrTheFrontierNears) {
  ReminderWindow w{settings(2, 3), t0};
  auto page = w.next(t0);
  ASSERT_TRUE(page);
  w.loaded(*page, {row("a", t0 - 1s), row("b", t0 + 2s)}, t0);  // one due already: not counted
  EXPECT_EQ(w.ahead(), 1U);
  page = w.next(t0);
  ASSERT_TRUE(page);
  w.loaded(*page, {row("c", t0 + 3s), row("d", t0 + 4s)}, t0);
  EXPECT_EQ(w.ahead(), 3U);
  EXPECT_FALSE(w.next(t0));
  EXPECT_EQ(w.wake_at(), t0 + 2s);  // the first page's reminders come due
  page = w.next(t0 + 2s);           // 2 still to come: loading goes on
  ASSERT_TRUE(page);
  EXPECT_EQ(page->after, (store::ReminderPosition{t0 + 4s, "d"}));
  w.loaded(*page, {row("e", t0 + 5s), row("f", t0 + 5s)}, t0 + 2s);
  EXPECT_EQ(w.ahead(), 4U);
  EXPECT_FALSE(w.next(t0 + 2s));
  EXPECT_EQ(w.wake_at(), t0 + 4s);  // the lead before the frontier (5 s − 1 s)
  EXPECT_TRUE(w.next(t0 + 4s));     // this close, it loads whatever is still to come
}

TEST(ReminderWindow, ReadsEveryPageOfAFillWhenNothingIsToCome) {
  ReminderWindow w{settings(1, 0), t0};
  auto page = w.next(t0);
  ASSERT_TRUE(page);
  w.loaded(*page, {row("a", t0 - 1s)}, t0);  // overdue rows are not "to come"
  EXPECT_TRUE(w.next(t0));
}

}  // namespace
}  // namespace tickler::services::notifier
