// ReminderPager on SQLite with a scheduler that records what it is handed: pages in exactly the
// window's scheduled reminders, once each and in order (page boundaries inside one instant
// included), holds back what is further out until the frontier reaches it, passes cancels on,
// and with its own thread hands reminders over before they come due.
#include "services/notifier/reminder_pager.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "store/sqlite/sqlite_test_support.hpp"

namespace tickler::services::notifier {
namespace {

using namespace std::chrono_literals;
using core::from_millis;

class RecordingScheduler final : public bus::Scheduler {
 public:
  struct Handed {
    std::string name;
    core::Instant at;
    core::Instant when;  // by the clock, when it was handed over
  };
  void schedule(const std::string& name, core::Instant at) override {
    std::lock_guard lock{mutex};
    scheduled.push_back({name, at, core::now()});
  }
  void cancel(const std::string& name) override {
    std::lock_guard lock{mutex};
    cancelled.push_back(name);
  }
  std::vector<std::string> names() {
    std::lock_guard lock{mutex};
    std::vector<std::string> out;
    for (const auto& s : scheduled) out.push_back(s.name);
    return out;
  }
  std::mutex mutex;
  std::vector<Handed> scheduled;
  std::vector<std::string> cancelled;
};

const core::Instant t0 = from_millis(1'000'000'000);

class ReminderPagerTest : public ::testing::Test {
 protected:
  void add(const std::string& id, core::Instant at, bool cancel = false) {
    store::ReminderRow r;
    r.id = id;
    r.task_id = 1;
    r.user_id = 1;
    r.title = "Stand-up";
    r.remind_at = at;
    ASSERT_TRUE(store_->write([&](store::Writer& w) -> core::Status {
      if (auto st = w.upsert_reminder(r); !st) return st;
      if (!cancel) return {};
      auto cancelled = w.cancel_reminder(id);
      if (!cancelled) return cancelled.error();
      return {};
    }));
  }
  PagerSettings settings(int page) {
    PagerSettings s;
    s.window = 60s;
    s.page = page;
    return s;
  }

  store::sqlite::ScratchSqlite scratch_{"tickler-reminder-pager"};
  std::unique_ptr<store::sqlite::SqliteStore>& store_ = scratch_.store;
  RecordingScheduler scheduler_;
};

TEST_F(ReminderPagerTest, PagesInTheWindowOnceEachInOrder) {
  std::vector<std::string> expected;
  add("overdue", t0 - 1s);  // the start-up sweep's
  add("at-start", t0);
  for (int i = 0; i < 250; ++i) {  // one instant across three pages of 100
    const auto id = "same-" + std::to_string(i);
    add(id, t0 + 10s);
    expected.push_back(id);
  }
  std::sort(expected.begin(), expected.end());  // ids in byte order within the instant
  for (int i = 0; i < 120; ++i) {
    const auto id = "spread-" + std::to_string(1000 + i);
    add(id, t0 + 20s + std::chrono::milliseconds{i});
    expected.push_back(id);
  }
  add("cancelled", t0 + 30s, true);
  add("window-end", t0 + 60s);
  expected.push_back("window-end");
  add("beyond", t0 + 60s + 1ms);

  ReminderPager pager{settings(100), *store_, scheduler_};
  pager.open(t0);
  auto loaded = pager.fill(t0);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, expected.size());
  EXPECT_EQ(scheduler_.names(), expected);
  auto again = pager.fill(t0 + 1s);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0U);  // nothing twice

  // Half a window later the next half is paged in: the reminder just past the old end.
  ASSERT_TRUE(pager.fill(t0 + 31s));
  EXPECT_EQ(scheduler_.names().back(), "beyond");
  EXPECT_EQ(scheduler_.names().size(), expected.size() + 1);
}

TEST_F(ReminderPagerTest, HoldsBackWhatIsBeyondTheFrontierUntilAPageBringsIt) {
  ReminderPager pager{settings(100), *store_, scheduler_};
  pager.schedule("before-open", t0 + 1h);  // before the window opens: passed on
  EXPECT_EQ(scheduler_.names(), std::vector<std::string>{"before-open"});
  scheduler_.scheduled.clear();
  pager.open(t0);
  ASSERT_TRUE(pager.fill(t0));

  // Scheduled while the notifier runs: written to the store first, then offered.
  add("soon", t0 + 5s);
  pager.schedule("soon", t0 + 5s);
  add("overdue", t0 - 1h);
  pager.schedule("overdue", t0 - 1h);
  add("later", t0 + 2min);
  pager.schedule("later", t0 + 2min);
  EXPECT_EQ(scheduler_.names(), (std::vector<std::string>{"soon", "overdue"}));

  pager.cancel("soon");
  EXPECT_EQ(scheduler_.cancelled, std::vector<std::string>{"soon"});

  ASSERT_TRUE(pager.fill(t0 + 61s));  // the window reaches "later"
  EXPECT_EQ(scheduler_.names().back(), "later");
  EXPECT_EQ(scheduler_.names().size(), 3U);
}

TEST_F(ReminderPagerTest, ItsThreadHandsRemindersOverBeforeTheyComeDue) {
  PagerSettings s;
  s.window = 1s;
  s.page = 2;
  ReminderPager pager{s, *store_, scheduler_};
  const auto start = core::now();
  const std::vector<core::Instant> due{start + 600ms, start + 1200ms, start + 1200ms,
                                       start + 1800ms};
  for (std::size_t i = 0; i < due.size(); ++i) add("r" + std::to_string(i), due[i]);
  pager.start();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (scheduler_.names().size() < due.size() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  pager.stop();
  std::lock_guard lock{scheduler_.mutex};
  ASSERT_EQ(scheduler_.scheduled.size(), due.size());
  for (std::size_t i = 0; i < due.size(); ++i) {
    EXPECT_EQ(scheduler_.scheduled[i].name, "r" + std::to_string(i));
    EXPECT_LT(scheduler_.scheduled[i].when, scheduler_.scheduled[i].at) << "handed over late";
  }
}

}  // namespace
}  // namespace tickler::services::notifier
