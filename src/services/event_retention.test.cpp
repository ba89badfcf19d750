// EventRetention: batches no larger than asked, nothing younger than a horizon, no unsent outbox
// row, rounds that run on the I/O context and end when stopped.
#include "services/event_retention.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "store/sqlite/sqlite_test_support.hpp"

namespace tickler::services {
namespace {

using namespace std::chrono_literals;
using Table = EventRetention::Table;

constexpr std::chrono::hours k_day{24};

class EventRetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto user = store().write_value([&](store::Writer& w) {
      return w.insert_user({0, "a@example.com", "", "h", core::now()});
    });
    ASSERT_TRUE(user);
    user_ = user->id;
  }
  store::Store& store() { return *scratch_.store; }

  // An outbox row written `age` ago, sent then when `sent`.
  void outbox_row(std::chrono::milliseconds age, bool sent) {
    const auto at = now_ - age;
    ASSERT_TRUE(store().write([&](store::Writer& w) -> core::Status {
      store::OutboxRow row;
      row.topic = "task-events";
      row.type = "tickler.task.created.v1";
      row.source = "/tickler/api";
      row.subject = "1";
      row.user_id = user_;
      row.data = "{}";
      row.created_at = at;
      auto id = w.append_outbox(row);
      if (!id) return id.error();
      return sent ? w.mark_outbox_sent({*id}, at) : core::Status{};
    }));
  }
  void processed(const std::string& id, std::chrono::milliseconds age) {
    auto fresh = store().write_value(
        [&](store::Writer& w) { return w.mark_processed("auditor", id, now_ - age); });
    ASSERT_TRUE(fresh && *fresh);
  }
  // The week-old / six-week-old shape: 5 rows past each horizon, 1 inside it, 1 unsent row.
  void fill() {
    for (int i = 0; i < 5; ++i) outbox_row(10 * k_day, true);
    outbox_row(1h, true);
    outbox_row(30 * k_day, false);
    for (int i = 0; i < 5; ++i) processed("old-" + std::to_string(i), 50 * k_day);
    processed("recent", k_day);
  }
  void expect_only_the_young_left() {
    auto unsent = store().read_value(
        [&](store::Reader& r) { return r.unsent_outbox(10, store::OutboxLane{}); });
    ASSERT_TRUE(unsent);
    EXPECT_EQ(unsent->size(), 1U);
    auto sent =
        store().write_value([&](store::Writer& w) { return w.prune_sent_outbox(now_, 100); });
    ASSERT_TRUE(sent);
    EXPECT_EQ(*sent, 1);  // the one sent an hour ago
    auto again = store().write_value(
        [&](store::Writer& w) { return w.mark_processed("auditor", "recent", now_); });
    ASSERT_TRUE(again);
    EXPECT_FALSE(*again) << "a record inside the window was pruned";
  }

  store::sqlite::ScratchSqlite scratch_{"tickler-retention"};
  base::Offload offload_{1};
  core::Instant now_ = core::now();
  core::UserId user_ = 0;
  EventRetentionSettings settings_{.outbox = 7 * k_day,
                                   .processed_events = 42 * k_day,
                                   .batch = 2,
                                   .pause = 1ms,
                                   .interval = 1h,
                                   .first_delay = 0s};
};

TEST_F(EventRetentionTest, ABatchDeletesAtMostItsSizeAndNothingInsideTheWindow) {
  fill();
  EventRetention retention{settings_, store(), offload_};
  std::vector<int> outbox;
  std::vector<int> processed;
  for (int i = 0; i < 4; ++i) {
    outbox.push_back(*retention.prune_batch(Table::outbox, now_));
    processed.push_back(*retention.prune_batch(Table::processed_events, now_));
  }
  EXPECT_EQ(outbox, (std::vector<int>{2, 2, 1, 0}));
  EXPECT_EQ(processed, (std::vector<int>{2, 2, 1, 0}));
  expect_only_the_young_left();
}

TEST_F(EventRetentionTest, ATableTheProcessDoesNotOwnIsLeftAlone) {
  fill();
  settings_.outbox.reset();
  EventRetention retention{settings_, store(), offload_};
  EXPECT_EQ(*retention.prune_batch(Table::outbox, now_), 0);
  EXPECT_EQ(*retention.prune_batch(Table::processed_events, now_), 2);
  std::string metrics;
  retention.write_metrics(metrics);
  EXPECT_EQ(metrics.find("table=\"outbox\""), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("tickler_events_pruned_total{table=\"processed_events\"} 2"),
            std::string::npos)
      << metrics;
}

TEST_F(EventRetentionTest, RoundsDrainBothTablesOnTheIoContextAndEndWhenStopped) {
  fill();
  boost::asio::io_context ioc;  // outlives the retention, whose timer it serves
  EventRetention retention{settings_, store(), offload_};
  retention.start(ioc);
  std::thread io{[&ioc] { ioc.run(); }};
  std::string metrics;
  for (int i = 0; i < 500; ++i) {
    metrics.clear();
    retention.write_metrics(metrics);
    if (metrics.find("{table=\"outbox\"} 5\n") != std::string::npos &&
        metrics.find("{table=\"processed_events\"} 5\n") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_NE(metrics.find("tickler_events_pruned_total{table=\"outbox\"} 5\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("tickler_events_pruned_total{table=\"processed_events\"} 5\n"),
            std::string::npos)
      << metrics;
  retention.stop();  // the round's hour-long wait ends: run() returns, nothing else is left
  io.join();
  expect_only_the_young_left();
}

}  // namespace
}  // namespace tickler::services
