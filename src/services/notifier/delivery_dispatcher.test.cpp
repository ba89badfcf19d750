// DeliveryDispatcher: one job at a time per queue (user × channel) while the user's other
// channels and other users go beside it, a bound per destination (the default, or the one an
// attempt names), a bound per user across their channels (of which one kind takes all but one),
// and a held-up queue, destination or user that never holds up another.
#include "services/notifier/delivery_dispatcher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>

namespace tickler::services::notifier {
namespace {

using namespace std::chrono_literals;

// Jobs that run until released.
class Gate {
 public:
  std::function<void()> job() {
    return [this] {
      ++running_;
      gate_.wait();
      ++finished_;
    };
  }
  void open() { release_.set_value(); }
  std::atomic<int> running_{0};
  std::atomic<int> finished_{0};

 private:
  std::promise<void> release_;
  std::shared_future<void> gate_{release_.get_future().share()};
};

bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 400; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return done();
}

TEST(DeliveryDispatcher, AQueueRunsOneJobWhileTheUsersOtherChannelsGoBesideIt) {
  Gate gate;
  DeliveryDispatcher d{{8, 4}, {}};
  EXPECT_TRUE(d.try_start({1, "webhook"}, "a.example", 0, gate.job()));
  EXPECT_FALSE(d.try_start({1, "webhook"}, "b.example", 0, gate.job()));  // same queue
  EXPECT_TRUE(d.try_start({1, "email"}, "smtp:", 8, gate.job()));         // same user
  EXPECT_TRUE(d.try_start({1, "webhook:7"}, "a.example", 0, gate.job()));
  EXPECT_TRUE(d.try_start({2, "webhook"}, "a.example", 0, gate.job()));
  EXPECT_EQ(d.running_queues().size(), 4U);
  EXPECT_TRUE(d.running_queues().contains(DeliveryQueue{1, "email"}));
  EXPECT_EQ(d.idle_workers(), 4);
  EXPECT_EQ(d.at_destination("a.example"), 3);
  gate.open();
  ASSERT_TRUE(eventually([&] { return gate.finished_ == 4 && d.idle_workers() == 8; }));
  EXPECT_TRUE(d.running_queues().empty());
  EXPECT_EQ(d.at_destination("a.example"), 0);
  EXPECT_TRUE(d.try_start({1, "webhook"}, "a.example", 0, [] {}));  // free again
}

TEST(DeliveryDispatcher, ADestinationTakesAtMostItsBound) {
  Gate gate;
  DeliveryDispatcher d{{16, 2}, {}};
  // The default bound (per_host).
  EXPECT_TRUE(d.try_start({1, "webhook"}, "dead.example", 0, gate.job()));
  EXPECT_TRUE(d.try_start({2, "webhook"}, "dead.example", 0, gate.job()));
  EXPECT_FALSE(d.try_start({3, "webhook"}, "dead.example", 0, gate.job()));
  // A bound of its own: the SMTP server's connections.
  for (core::UserId u = 1; u <= 5; ++u) {
    EXPECT_TRUE(d.try_start({u, "email"}, "smtp:", 5, gate.job())) << u;
  }
  EXPECT_FALSE(d.try_start({6, "email"}, "smtp:", 5, gate.job()));
  // Another destination is not held up by either.
  EXPECT_TRUE(d.try_start({3, "webhook"}, "ok.example", 0, gate.job()));
  gate.open();
}

TEST(DeliveryDispatcher, AHeldUpQueueDoesNotDelayAnotherUsersJobs) {
  Gate hung;
  std::atomic<int> done{0};
  DeliveryDispatcher d{{4, 4}, [&] { ++done; }};
  ASSERT_TRUE(d.try_start({1, "webhook"}, "hole.example", 0, hung.job()));
  ASSERT_TRUE(d.try_start({1, "email"}, "smtp:", 8, hung.job()));
  ASSERT_TRUE(eventually([&] { return hung.running_ == 2; }));
  // User 2's deliveries run and finish, one after another, on the workers left.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(eventually([&] {
      return d.try_start({2, "webhook"}, "ok.example", 0, [] {});
    })) << i;
  }
  EXPECT_TRUE(eventually([&] { return done == 20; }));
  EXPECT_EQ(hung.finished_, 0);
  hung.open();
}

TEST(DeliveryDispatcher, AUserAtTheirBoundIsSkippedWhileAnotherUserStartsAndAFreedSlotLetsThemOn) {
  Gate hung;
  std::atomic<int> woken{0};
  DeliveryDispatcher d{{16, 4, 4}, [&] { ++woken; }};
  // User 1's hanging webhooks, each on a host of its own (the per-host bound does not hold them):
  // one kind takes all of the user's slots but one.
  for (int i = 0; i < 3; ++i) {
    const auto host = "hole" + std::to_string(i) + ".example";
    EXPECT_TRUE(d.try_start({1, "webhook:" + std::to_string(i)}, host, 0, hung.job())) << i;
  }
  EXPECT_FALSE(d.try_start({1, "webhook:3"}, "hole3.example", 0, hung.job()));  // the kind's share
  EXPECT_FALSE(d.user_has_room(d.at_user({1, "webhook:3"})));
  // The user's email still finds the slot left, then the user is at their bound on every kind.
  EXPECT_TRUE(d.user_has_room(d.at_user({1, "email"})));
  EXPECT_TRUE(d.try_start({1, "email"}, "smtp:", 8, hung.job()));
  EXPECT_EQ(d.at_user({1, "push:2"}).all, 4);
  EXPECT_EQ(d.at_user({1, "webhook"}).of_kind, 3);
  EXPECT_FALSE(d.try_start({1, "push:2"}, "push.example", 0, hung.job()));
  EXPECT_FALSE(d.try_start({1, "ntfy"}, "ntfy.example", 0, hung.job()));
  // Another user's deliveries start on the 12 workers left, one after another.
  EXPECT_EQ(d.idle_workers(), 12);
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(eventually([&] {
      return d.try_start({2, "push:1"}, "push.example", 0, [&] { ++done; });
    })) << i;
  }
  EXPECT_TRUE(eventually([&] { return done == 10; }));
  EXPECT_EQ(hung.finished_, 0);
  // Freed slots: user 1 goes on (the wake-up runs after the counts are released).
  hung.open();
  ASSERT_TRUE(eventually([&] { return woken == 14; }));  // 4 of user 1, 10 of user 2
  EXPECT_EQ(d.at_user({1, "webhook"}).all, 0);
  EXPECT_TRUE(d.try_start({1, "push:2"}, "push.example", 0, [] {}));
  EXPECT_TRUE(d.try_start({1, "webhook:3"}, "hole3.example", 0, [] {}));
}

TEST(DeliveryDispatcher, ABoundOfOneStillLetsEachUserRunOneJob) {
  Gate gate;
  DeliveryDispatcher d{{4, 4, 1}, {}};
  EXPECT_TRUE(d.try_start({1, "webhook"}, "a", 0, gate.job()));
  EXPECT_FALSE(d.try_start({1, "email"}, "smtp:", 8, gate.job()));
  EXPECT_TRUE(d.try_start({2, "email"}, "smtp:", 8, gate.job()));
  gate.open();
}

TEST(DeliveryDispatcher, NoJobStartsBeyondTheWorkersAndStopLetsStartedJobsFinish) {
  Gate gate;
  std::atomic<int> done{0};
  auto d = std::make_unique<DeliveryDispatcher>(DispatchLimits{2, 4}, [&] { ++done; });
  EXPECT_TRUE(d->try_start({1, "webhook"}, "a", 0, gate.job()));
  EXPECT_TRUE(d->try_start({2, "webhook"}, "b", 0, gate.job()));
  EXPECT_FALSE(d->try_start({3, "webhook"}, "c", 0, gate.job()));
  EXPECT_EQ(d->idle_workers(), 0);
  std::thread opener{[&] {
    std::this_thread::sleep_for(20ms);
    gate.open();
  }};
  d.reset();  // stop(): waits for both
  opener.join();
  EXPECT_EQ(gate.finished_, 2);
  EXPECT_EQ(done, 2);
}

}  // namespace
}  // namespace tickler::services::notifier
