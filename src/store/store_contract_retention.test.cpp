// The Store contract, continued: retention of the events tables. Pruning deletes only what lies
// before its horizon, in batches of at most `limit` rows, never an unsent outbox row; a consumer
// still recognises every event it processed inside the window; a dead letter older than the
// horizon is not redriven.
#include <gtest/gtest.h>

#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

OutboxRow event(core::UserId user, std::int64_t at_ms) {
  OutboxRow row;
  row.topic = "task-events";
  row.type = "tickler.task.created.v1";
  row.source = "/tickler/api";
  row.subject = "42";
  row.user_id = user;
  row.data = R"({"task_id": 42})";
  row.created_at = from_millis(at_ms);
  return row;
}

TEST_P(StoreContract, SentOutboxRowsArePrunedPastTheHorizonOnly) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    auto id = store_->write_value([&](Writer& w) { return w.append_outbox(event(alice_, 10)); });
    ASSERT_TRUE(id) << id.error().message;
    ids.push_back(*id);
  }
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    if (auto st = w.mark_outbox_sent({ids[0], ids[1]}, from_millis(100)); !st) return st;
    return w.mark_outbox_sent({ids[2]}, from_millis(300));
  }));  // ids[3], written as long ago as the others, is never sent
  auto prune = [&](std::int64_t before_ms, int limit) {
    auto n = store_->write_value(
        [&](Writer& w) { return w.prune_sent_outbox(from_millis(before_ms), limit); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  };
  EXPECT_EQ(prune(200, 1), 1);  // a batch never exceeds its limit
  EXPECT_EQ(prune(200, 1), 1);
  EXPECT_EQ(prune(200, 1), 0);  // ids[2] was sent after the horizon
  EXPECT_EQ(prune(301, 10), 1);
  EXPECT_EQ(prune(1'000'000, 10), 0);  // the unsent row stays, however old

  auto unsent = store_->read_value([&](Reader& r) { return r.unsent_outbox(10, {}); });
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 1U);
  EXPECT_EQ((*unsent)[0].id, ids[3]);
  auto backlog = store_->read_value([&](Reader& r) { return r.outbox_backlog(); });
  ASSERT_TRUE(backlog);
  EXPECT_EQ(backlog->pending, 1);
  EXPECT_EQ(backlog->oldest, from_millis(10));
}

// Exactly once inside the window: a redelivered event whose record is younger than the horizon
// is recognised after pruning; only records older than it are forgotten.
TEST_P(StoreContract, ProcessedEventsArePrunedPastTheHorizonOnly) {
  auto mark = [&](const char* consumer, const char* id, std::int64_t at_ms) {
    auto fresh = store_->write_value(
        [&](Writer& w) { return w.mark_processed(consumer, id, from_millis(at_ms)); });
    EXPECT_TRUE(fresh) << fresh.error().message;
    return fresh && *fresh;
  };
  ASSERT_TRUE(mark("auditor", "1", 100));
  ASSERT_TRUE(mark("auditor", "2", 150));
  ASSERT_TRUE(mark("auditor", "3", 300));
  ASSERT_TRUE(mark("notifier", "1", 300));
  auto prune = [&](std::int64_t before_ms, int limit) {
    auto n = store_->write_value(
        [&](Writer& w) { return w.prune_processed_events(from_millis(before_ms), limit); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  };
  EXPECT_EQ(prune(200, 1), 1);
  EXPECT_EQ(prune(200, 5), 1);
  EXPECT_EQ(prune(200, 5), 0);

  EXPECT_FALSE(mark("auditor", "3", 400)) << "an event inside the window took effect twice";
  EXPECT_FALSE(mark("notifier", "1", 400)) << "an event inside the window took effect twice";
  EXPECT_TRUE(mark("auditor", "1", 400));  // forgotten past the horizon: handled as new
  EXPECT_TRUE(mark("auditor", "2", 400));
}

TEST_P(StoreContract, DeadLettersOlderThanTheHorizonAreNotRedriven) {
  std::vector<std::int64_t> ids;
  for (std::int64_t at : {100, 300}) {
    DeadLetter d;
    d.subscriber = "auditor";
    d.event = event(alice_, 5);
    d.event.event_id = "ev-" + std::to_string(at);
    d.error = "poison";
    d.created_at = from_millis(at);
    ASSERT_TRUE(store_->write([&](Writer& w) { return w.insert_dead_letter(d); }));
  }
  auto letters = store_->read_value([&](Reader& r) { return r.dead_letters(false, 10); });
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 2U);
  const auto young = (*letters)[0].id;
  const auto old = (*letters)[1].id;
  const auto horizon = from_millis(200);
  auto redrive = [&](std::optional<std::int64_t> id) {
    auto r = store_->write_value(
        [&](Writer& w) { return w.redrive_dead_letters(id, from_millis(400), horizon); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? std::pair{r->redriven, r->too_old} : std::pair{-1, -1};
  };

  EXPECT_EQ(redrive(old), std::pair(0, 1));
  EXPECT_EQ(redrive(std::nullopt), std::pair(1, 1));  // the young one; the old one is counted
  EXPECT_EQ(redrive(young), std::pair(0, 0));         // done already

  auto unsent = store_->read_value([&](Reader& r) { return r.unsent_outbox(10, {}); });
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 1U);
  EXPECT_EQ((*unsent)[0].cloud_event_id(), "ev-300");
  auto waiting = store_->read_value([&](Reader& r) { return r.dead_letters(false, 10); });
  ASSERT_TRUE(waiting);
  ASSERT_EQ(waiting->size(), 1U);  // left for the operator to look at
  EXPECT_EQ((*waiting)[0].id, old);
}

}  // namespace
}  // namespace tickler::store::contract
