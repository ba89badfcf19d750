#include "bus/inproc/timer_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

namespace tickler::bus::inproc {
namespace {

using std::chrono::milliseconds;

struct Fired {
  std::mutex mutex;
  std::vector<std::pair<std::string, core::Instant>> got;
  void add(const std::vector<std::string>& names) {
    std::lock_guard lock{mutex};
    for (const auto& n : names) got.emplace_back(n, core::now());
  }
  std::size_t size() {
    std::lock_guard lock{mutex};
    return got.size();
  }
};

bool wait_for(Fired& f, std::size_t n) {
  for (int i = 0; i < 300 && f.size() < n; ++i) std::this_thread::sleep_for(milliseconds{10});
  return f.size() >= n;
}

TEST(TimerQueue, FiresInOrderNeverEarly) {
  Fired fired;
  TimerQueue q{[&](const std::vector<std::string>& n) { fired.add(n); }};
  q.start();
  const auto now = core::now();
  const std::map<std::string, core::Instant> jobs = {{"c", now + milliseconds{150}},
                                                     {"a", now + milliseconds{50}},
                                                     {"b", now + milliseconds{100}}};
  for (const auto& [name, at] : jobs) q.schedule(name, at);
  ASSERT_TRUE(wait_for(fired, 3));
  EXPECT_EQ(fired.got[0].first, "a");
  EXPECT_EQ(fired.got[1].first, "b");
  EXPECT_EQ(fired.got[2].first, "c");
  for (const auto& [name, at] : fired.got) EXPECT_GE(at, jobs.at(name)) << name << " fired early";
}

TEST(TimerQueue, CancelledAndMovedJobsFireOnlyAsTheyAreNow) {
  Fired fired;
  TimerQueue q{[&](const std::vector<std::string>& n) { fired.add(n); }};
  q.start();
  const auto now = core::now();
  q.schedule("gone", now + milliseconds{30});
  q.schedule("moved", now + milliseconds{30});
  q.cancel("gone");
  q.schedule("moved", now + milliseconds{120});
  ASSERT_TRUE(wait_for(fired, 1));
  std::this_thread::sleep_for(milliseconds{100});
  ASSERT_EQ(fired.size(), 1U);
  EXPECT_EQ(fired.got[0].first, "moved");
  EXPECT_GE(fired.got[0].second, now + milliseconds{120});
  EXPECT_EQ(q.pending(), 0U);
}

TEST(TimerQueue, PastJobsFireAtOnceInOneBatch) {
  std::mutex m;
  std::vector<std::size_t> batches;
  TimerQueue q{[&](const std::vector<std::string>& n) {
    std::lock_guard lock{m};
    batches.push_back(n.size());
  }};
  const auto past = core::now() - std::chrono::seconds{5};
  for (int i = 0; i < 100; ++i) q.schedule("j" + std::to_string(i), past);
  q.start();
  for (int i = 0; i < 300; ++i) {
    std::this_thread::sleep_for(milliseconds{5});
    std::lock_guard lock{m};
    if (!batches.empty()) break;
  }
  std::lock_guard lock{m};
  ASSERT_FALSE(batches.empty());
  EXPECT_EQ(batches[0], 100U);
}

}  // namespace
}  // namespace tickler::bus::inproc
