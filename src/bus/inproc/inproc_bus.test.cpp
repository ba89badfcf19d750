#include "bus/inproc/inproc_bus.hpp"

#include <gtest/gtest.h>

#include <future>

namespace tickler::bus::inproc {
namespace {

Event event(std::string id, std::string topic = "t") {
  Event e;
  e.id = std::move(id);
  e.topic = std::move(topic);
  return e;
}

struct DeadLetters {
  std::vector<std::pair<std::string, std::string>> got;  // event id, subscriber
  DeadLetterSink sink() {
    return [this](const Event& e, const std::string& s, const std::string&) -> core::Status {
      got.emplace_back(e.id, s);
      return {};
    };
  }
};

const InprocBusSettings k_fast{3, std::chrono::milliseconds{1}, std::chrono::milliseconds{2}};

TEST(InprocBus, DeliversToEverySubscriberOfTheTopicOnly) {
  DeadLetters dl;
  InprocBus bus{k_fast, dl.sink()};
  std::vector<std::string> a, b;
  bus.subscribe("t", "a", [&](const Event& e) {
    a.push_back(e.id);
    return Verdict::ok();
  });
  bus.subscribe("u", "b", [&](const Event& e) {
    b.push_back(e.id);
    return Verdict::ok();
  });
  ASSERT_TRUE(bus.publish_batch({event("1"), event("2", "u"), event("3")}, std::nullopt));
  EXPECT_EQ(a, (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(b, (std::vector<std::string>{"2"}));
  ASSERT_TRUE(bus.publish(event("4"), std::string{"b"}));  // targeted at another subscriber
  EXPECT_EQ(a.size(), 2U);
}

// A slow subscriber does not hold up another: b handles the batch while a is still busy with it.
TEST(InprocBus, SubscribersRunSideBySide) {
  DeadLetters dl;
  InprocBus bus{k_fast, dl.sink()};
  std::promise<void> b_done;
  auto b_seen = b_done.get_future();
  bool a_saw_b = false;
  bus.subscribe("t", "a", [&](const Event&) {
    a_saw_b = b_seen.wait_for(std::chrono::seconds{5}) == std::future_status::ready;
    return Verdict::ok();
  });
  bus.subscribe("t", "b", [&](const Event&) {
    b_done.set_value();
    return Verdict::ok();
  });
  ASSERT_TRUE(bus.publish(event("1"), std::nullopt));
  EXPECT_TRUE(a_saw_b);
}

TEST(InprocBus, RetriesInOrderThenDeadLettersWhatKeepsFailing) {
  DeadLetters dl;
  InprocBus bus{k_fast, dl.sink()};
  std::vector<std::string> seen;
  int failures_left = 2;
  bus.subscribe("t", "a", [&](const Event& e) {
    seen.push_back(e.id);
    if (e.id == "2" && failures_left-- > 0) return Verdict::retry("busy");
    if (e.id == "3") return Verdict::drop("poison");
    if (e.id == "5") return Verdict::retry("always");
    return Verdict::ok();
  });
  ASSERT_TRUE(bus.publish_batch({event("1"), event("2"), event("3"), event("4"), event("5")},
                                std::nullopt));
  // 2 was retried before 3 was ever seen: order kept; 5 gave up after 3 attempts.
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "2", "2", "3", "4", "5", "5", "5"}));
  EXPECT_EQ(dl.got, (std::vector<std::pair<std::string, std::string>>{{"3", "a"}, {"5", "a"}}));
}

TEST(InprocBus, BatchSubscriberGetsRunsAndRedeliveryAfterAFailedTransaction) {
  DeadLetters dl;
  InprocBus bus{k_fast, dl.sink()};
  std::vector<std::size_t> sizes;
  bool fail_once = true;
  bus.subscribe_batch("t", "a", [&](const std::vector<Event>& events) {
    sizes.push_back(events.size());
    std::vector<Verdict> v(events.size());
    v[0] = Verdict::drop("bad first");
    if (fail_once) {
      fail_once = false;
      return retry_from_first_kept(std::move(v), "rolled back");
    }
    return v;
  });
  ASSERT_TRUE(bus.publish_batch({event("1"), event("2"), event("3")}, std::nullopt));
  // First call: 1 dropped, 2 and 3 come again together (as 2, 3); 2 is then the first: dropped.
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 2}));
  EXPECT_EQ(dl.got.size(), 2U);
}

TEST(InprocBus, AFailingDeadLetterSinkFailsThePublish) {
  InprocBus bus{k_fast, [](const Event&, const std::string&, const std::string&) -> core::Status {
                  return core::make_error(core::Errc::unavailable, "disk full");
                }};
  bus.subscribe("t", "a", [](const Event&) { return Verdict::drop("poison"); });
  EXPECT_FALSE(bus.publish(event("1"), std::nullopt));
}

}  // namespace
}  // namespace tickler::bus::inproc
