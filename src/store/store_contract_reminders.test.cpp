// The Store contract, continued: scheduled reminders paged in (remind_at, id) order from a
// position (the notifier's ReminderPager), ids compared byte by byte in both engines.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

ReminderRow scheduled(const std::string& id, std::int64_t remind_ms) {
  ReminderRow r;
  r.id = id;
  r.task_id = 5;
  r.user_id = 1;
  r.title = "Stand-up";
  r.remind_at = from_millis(remind_ms);
  return r;
}

std::vector<ReminderPosition> positions(const std::vector<ReminderRow>& rows) {
  std::vector<ReminderPosition> out;
  for (const auto& r : rows) out.push_back({r.remind_at, r.id});
  return out;
}

TEST_P(StoreContract, ScheduledRemindersPageByInstantThenIdInByteOrder) {
  // Ids whose byte order differs from a locale's (case, punctuation, digits).
  const std::vector<std::string> same_instant{"t1-5", "t10-5", "t1_5", "T9-5", "t2-5", "a"};
  std::vector<ReminderRow> rows;
  for (const auto& id : same_instant) rows.push_back(scheduled(id, 2'000));
  rows.push_back(scheduled("t3-1000", 1'000));
  rows.push_back(scheduled("t3-3000", 3'000));
  rows.push_back(scheduled("t3-4000", 4'000));  // after `until`
  rows.push_back(scheduled("t4-2500", 2'500));  // cancelled below
  rows.push_back(scheduled("t4-2600", 2'600));  // fired below
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    for (const auto& r : rows) {
      if (auto st = w.upsert_reminder(r); !st) return st;
    }
    if (auto c = w.cancel_reminder("t4-2500"); !c) return c.error();
    if (auto f = w.fire_reminder("t4-2600", from_millis(2'600)); !f) return f.error();
    return {};
  }));
  std::vector<ReminderPosition> expected;
  for (const auto& r : rows) {
    if (r.remind_at <= from_millis(3'000) && r.id.starts_with("t4") == false) {
      expected.push_back({r.remind_at, r.id});
    }
  }
  std::sort(expected.begin(), expected.end());

  // Pages of 2 from the start: boundaries fall inside the instant 2'000.
  std::vector<ReminderPosition> walked;
  ReminderPosition after{};
  for (int guard = 0; guard < 20; ++guard) {
    auto page = store_->read_value(
        [&](Reader& r) { return r.scheduled_reminders_after(after, from_millis(3'000), 2); });
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& r : *page) {
      EXPECT_EQ(r.state, "scheduled");
      EXPECT_EQ(r.title, "Stand-up");
    }
    const auto got = positions(*page);
    walked.insert(walked.end(), got.begin(), got.end());
    if (page->size() < 2) break;
    after = got.back();
  }
  EXPECT_EQ(walked, expected);

  // From the middle of an instant; and {t + 1 ms, ""} is after every reminder at t.
  auto rest = store_->read_value([&](Reader& r) {
    return r.scheduled_reminders_after({from_millis(2'000), "t1-5"}, from_millis(2'000), 10);
  });
  ASSERT_TRUE(rest);
  EXPECT_EQ(positions(*rest), (std::vector<ReminderPosition>{{from_millis(2'000), "t10-5"},
                                                             {from_millis(2'000), "t1_5"},
                                                             {from_millis(2'000), "t2-5"}}));
  auto past = store_->read_value([&](Reader& r) {
    return r.scheduled_reminders_after({from_millis(2'001), ""}, from_millis(9'000), 10);
  });
  ASSERT_TRUE(past);
  EXPECT_EQ(positions(*past), (std::vector<ReminderPosition>{{from_millis(3'000), "t3-3000"},
                                                             {from_millis(4'000), "t3-4000"}}));
}

}  // namespace
}  // namespace tickler::store::contract
