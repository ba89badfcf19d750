// DeliveryDispatcher: one job at a time per queue (user × channel) while the user's other
// channels and other users go beside it, a bound per destination (the default, or the one an
// attempt names), and a held-up queue or destination that never holds up another.
#include "services/notifier/delivery_dispatcher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

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
