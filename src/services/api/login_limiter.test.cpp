#include "services/api/login_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tickler::services::api {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

TEST(LoginLimiter, BlocksAfterTheLimitUntilTheWindowPasses) {
  LoginLimiter limiter{{3, minutes{5}, 100}};
  const auto t0 = core::from_millis(1'000'000);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.blocked("ip|a@b.c", t0));
    limiter.record_failure("ip|a@b.c", t0 + seconds{i});
  }
  auto wait = limiter.blocked("ip|a@b.c", t0 + seconds{10});
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, seconds{290});
  EXPECT_FALSE(limiter.blocked("other-ip|a@b.c", t0 + seconds{10}));
  EXPECT_FALSE(limiter.blocked("ip|a@b.c", t0 + minutes{5}));
}

TEST(LoginLimiter, SuccessResets) {
  LoginLimiter limiter{{2, minutes{5}, 100}};
  const auto t0 = core::from_millis(0);
  limiter.record_failure("k", t0);
  limiter.record_failure("k", t0);
  EXPECT_TRUE(limiter.blocked("k", t0));
  limiter.reset("k");
  EXPECT_FALSE(limiter.blocked("k", t0));
}

TEST(LoginLimiter, MemoryIsBounded) {
  LoginLimiter limiter{{1, minutes{5}, 10}};
  const auto t0 = core::from_millis(0);
  for (int i = 0; i < 100; ++i) limiter.record_failure("k" + std::to_string(i), t0 + seconds{i});
  // The newest keys are still tracked, the oldest were forgotten.
  EXPECT_TRUE(limiter.blocked("k99", t0 + seconds{100}));
  EXPECT_FALSE(limiter.blocked("k0", t0 + seconds{100}));
}

TEST(LoginLimiter, ConcurrentAcquiresNeverPassTheLimit) {
  LoginLimiter limiter{{10, minutes{5}, 100}};
  const auto t0 = core::from_millis(0);
  std::atomic<int> admitted{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&] {
      if (auto wait = limiter.acquire("ip|a@b.c", t0)) {
        EXPECT_EQ(*wait, minutes{5});
        ++refused;
      } else {
        ++admitted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 10);
  EXPECT_EQ(refused.load(), 30);
}

TEST(LoginLimiter, AnAttemptCountsUntilReleasedOrReset) {
  LoginLimiter limiter{{2, minutes{5}, 100}};
  const auto t0 = core::from_millis(0);
  EXPECT_FALSE(limiter.acquire("k", t0));
  EXPECT_FALSE(limiter.acquire("k", t0 + seconds{1}));
  EXPECT_TRUE(limiter.acquire("k", t0 + seconds{2}));  // refused: not counted
  limiter.release("k", t0 + seconds{1});               // a store error gives the attempt back
  EXPECT_FALSE(limiter.acquire("k", t0 + seconds{3}));
  EXPECT_TRUE(limiter.blocked("k", t0 + seconds{3}));
  limiter.reset("k");  // a success
  EXPECT_FALSE(limiter.acquire("k", t0 + seconds{4}));
}

}  // namespace
}  // namespace tickler::services::api
