#include "outbox/relay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "store/sqlite/sqlite_test_support.hpp"

namespace tickler::outbox {
namespace {

using namespace std::chrono_literals;

// A bus that takes a while to acknowledge, records what it took and how many publishes were in
// flight at once, and refuses the events of one user while `refused_user` is set.
class SlowBus : public bus::Bus {
 public:
  void subscribe(std::string, std::string, bus::Subscriber) override {}
  void subscribe_batch(std::string, std::string, bus::BatchSubscriber) override {}
  core::Status publish(const bus::Event& e, const std::optional<std::string>& target) override {
    return publish_batch({e}, target);
  }
  core::Status publish_batch(const std::vector<bus::Event>& events,
                             const std::optional<std::string>&) override {
    const int now = ++in_flight;
    int seen = max_in_flight.load();
    while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(20ms);
    --in_flight;
    std::lock_guard lock{mutex};
    for (const auto& e : events) {
      if (e.partition_key == refused_user) {
        return core::Error{core::Errc::unavailable, "refused", {}, {}};
      }
    }
    for (const auto& e : events) taken.push_back(e);
    return {};
  }

  std::mutex mutex;
  std::vector<bus::Event> taken;
  std::string refused_user;
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
};

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 6; ++i) {
      auto u = store_->write_value([&](store::Writer& w) {
        return w.insert_user({0, "u" + std::to_string(i) + "@example.com", "", "h", core::now()});
      });
      ASSERT_TRUE(u) << u.error().message;
      users_.push_back(u->id);
    }
  }

  // `per_user` rows for every user, the users taking turns; the ids in order of writing.
  std::vector<std::int64_t> append(int per_user) {
    std::vector<std::int64_t> ids;
    for (int k = 0; k < per_user; ++k) {
      for (auto user : users_) {
        store::OutboxRow row;
        row.topic = "task-events";
        row.type = "tickler.task.updated.v1";
        row.source = "/tickler/api";
        row.subject = std::to_string(k);
        row.user_id = user;
        row.data = "{}";
        row.created_at = core::now();
        auto id = store_->write_value([&](store::Writer& w) { return w.append_outbox(row); });
        EXPECT_TRUE(id) << id.error().message;
        if (id) ids.push_back(*id);
      }
    }
    return ids;
  }

  std::int64_t pending() {
    auto b = store_->read_value([](store::Reader& r) { return r.outbox_backlog(); });
    EXPECT_TRUE(b);
    return b ? b->pending : -1;
  }

  // Every user's events were taken in id order, `per_user` of them each; all the ids taken.
  std::vector<std::int64_t> expect_each_user_in_order(const std::vector<bus::Event>& taken,
                                                      std::size_t per_user) {
    std::map<std::string, std::vector<std::int64_t>> by_user;
    std::vector<std::int64_t> all;
    for (const auto& e : taken) {
      by_user[e.partition_key].push_back(std::stoll(e.id));
      all.push_back(std::stoll(e.id));
    }
    EXPECT_EQ(by_user.size(), users_.size());
    for (const auto& [user, seq] : by_user) {
      EXPECT_TRUE(std::is_sorted(seq.begin(), seq.end())) << "user " << user;
      EXPECT_EQ(seq.size(), per_user) << "user " << user;
    }
    return all;
  }

  // Waits (bounded) until at most `left` rows are pending.
  void wait_for_pending(std::int64_t left) {
    for (int i = 0; i < 500 && pending() > left; ++i) std::this_thread::sleep_for(10ms);
  }

  store::sqlite::ScratchSqlite scratch_{"tickler-relay"};
  std::unique_ptr<store::sqlite::SqliteStore>& store_ = scratch_.store;
  std::vector<core::UserId> users_;
};

TEST_F(RelayTest, LanesPublishSideBySideAndKeepEveryUsersOrder) {
  SlowBus bus;
  const auto ids = append(5);
  Relay relay{{.batch = 4, .poll = 50ms, .lanes = 3}, *store_, bus};
  relay.start();
  relay.wake();
  wait_for_pending(0);
  relay.stop();
  EXPECT_EQ(pending(), 0);
  ASSERT_EQ(bus.taken.size(), ids.size());
  EXPECT_GT(bus.max_in_flight.load(), 1);  // the lanes overlapped
  auto all = expect_each_user_in_order(bus.taken, 5);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, ids);  // each row exactly once
}

TEST_F(RelayTest, AFailingLaneHoldsBackOnlyItsOwnUsers) {
  SlowBus bus;
  bus.refused_user = std::to_string(users_[0]);
  append(3);
  Relay relay{{.batch = 50, .poll = 50ms, .first_backoff = 20ms, .lanes = 2}, *store_, bus};
  relay.start();
  relay.wake();
  // Lane of users_[0] (and of the users sharing it) stays blocked; the other lane drains.
  const auto blocked =
      std::count_if(users_.begin(), users_.end(), [&](auto u) { return u % 2 == users_[0] % 2; });
  wait_for_pending(blocked * 3);
  EXPECT_EQ(pending(), blocked * 3);
  {
    std::lock_guard lock{bus.mutex};
    for (const auto& e : bus.taken) EXPECT_NE(std::stoll(e.partition_key) % 2, users_[0] % 2);
    bus.refused_user.clear();  // the broker is back: the blocked lane delivers, in order
  }
  wait_for_pending(0);
  relay.stop();
  EXPECT_EQ(pending(), 0);
  expect_each_user_in_order(bus.taken, 3);
}

TEST_F(RelayTest, TheTapRecordsWhatTheBusAcknowledgedOnly) {
  SlowBus bus;
  bus.refused_user = std::to_string(users_[0]);
  append(2);
  const auto file = scratch_.dir / "tap";
  EventTap tap{file.string()};
  Relay relay{{.batch = 50, .lanes = 2, .tap = &tap}, *store_, bus};
  (void)relay.drain_once();  // one lane refused, the other published
  bus.refused_user.clear();
  ASSERT_TRUE(relay.drain_once());
  std::ifstream in{file};
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);) {
    ids.emplace_back(boost::json::parse(line).at("cloudevent").at("id").as_string());
  }
  ASSERT_EQ(ids.size(), bus.taken.size());
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], bus.taken[i].id);
}

}  // namespace
}  // namespace tickler::outbox
