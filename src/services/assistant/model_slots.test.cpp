// ModelSlots: a user over their share is refused at once, a full house queues first come first
// served for a bounded time, and a released slot goes to the first waiter.
#include "services/assistant/model_slots.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <vector>

namespace tickler::services::assistant {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;

// Runs acquire and keeps what it answered.
struct Attempt {
  std::optional<core::Result<ModelSlots::Slot>> got;
  std::chrono::steady_clock::time_point at;
};

net::awaitable<void> attempt(ModelSlots& slots, core::UserId user, std::chrono::milliseconds wait,
                             Attempt& out) {
  out.got.emplace(co_await slots.acquire(user, wait));
  out.at = std::chrono::steady_clock::now();
}

TEST(ModelSlots, AUserOverTheirShareIsRefusedAtOnceOthersAreNot) {
  net::io_context ioc;
  ModelSlots slots{4, 1};
  Attempt first, second, other;
  net::co_spawn(ioc, attempt(slots, 1, 1000ms, first), net::detached);
  net::co_spawn(ioc, attempt(slots, 1, 1000ms, second), net::detached);
  net::co_spawn(ioc, attempt(slots, 2, 1000ms, other), net::detached);
  ioc.run();
  ASSERT_TRUE(first.got && *first.got);
  ASSERT_TRUE(other.got && *other.got);
  ASSERT_TRUE(second.got && !*second.got);
  EXPECT_EQ(second.got->error().code, core::Errc::too_many_requests);
  EXPECT_EQ(second.got->error().code_name, "assistant_busy");
  EXPECT_EQ(std::get<std::int64_t>(second.got->error().details.at("retry_after")), 2);
  EXPECT_EQ(slots.in_flight(1), 1);
  first.got.reset();  // released: the user may start another
  EXPECT_EQ(slots.in_flight(1), 0);
}

TEST(ModelSlots, AFullHouseQueuesInOrderAndAReleasedSlotGoesToTheFirstWaiter) {
  net::io_context ioc;
  ModelSlots slots{1, 1};
  Attempt holder, waiter, late;
  net::co_spawn(ioc, attempt(slots, 1, 1000ms, holder), net::detached);
  net::co_spawn(ioc, attempt(slots, 2, 5000ms, waiter), net::detached);
  net::co_spawn(ioc, attempt(slots, 3, 5000ms, late), net::detached);
  ioc.run_for(50ms);
  ASSERT_TRUE(holder.got && *holder.got);
  EXPECT_FALSE(waiter.got);
  EXPECT_FALSE(late.got);
  EXPECT_EQ(slots.in_flight(2), 1);  // waiting counts
  const auto released = std::chrono::steady_clock::now();
  holder.got.reset();
  ioc.restart();
  ioc.run_for(50ms);
  ASSERT_TRUE(waiter.got && *waiter.got);
  EXPECT_LT(waiter.at - released, 40ms);
  EXPECT_FALSE(late.got);
  waiter.got.reset();
  ioc.restart();
  ioc.run();
  ASSERT_TRUE(late.got && *late.got);
}

TEST(ModelSlots, AQueuedTurnWaitsABoundedTime) {
  net::io_context ioc;
  ModelSlots slots{1, 1};
  Attempt holder, waiter;
  net::co_spawn(ioc, attempt(slots, 1, 1000ms, holder), net::detached);
  const auto started = std::chrono::steady_clock::now();
  net::co_spawn(ioc, attempt(slots, 2, 100ms, waiter), net::detached);
  ioc.run();
  ASSERT_TRUE(waiter.got && !*waiter.got);
  EXPECT_EQ(waiter.got->error().code_name, "assistant_busy");
  EXPECT_GE(waiter.at - started, 100ms);
  EXPECT_LT(waiter.at - started, 1000ms);
  EXPECT_EQ(slots.in_flight(2), 0);
  holder.got.reset();  // nobody waits: the slot is free again
  Attempt again;
  ioc.restart();
  net::co_spawn(ioc, attempt(slots, 2, 10ms, again), net::detached);
  ioc.run();
  ASSERT_TRUE(again.got && *again.got);
}

}  // namespace
}  // namespace tickler::services::assistant
