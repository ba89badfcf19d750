#include "services/realtime/hub.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tickler::services::realtime {
namespace {

struct Recorder final : Outlet {
  std::vector<std::string> sent;
  void send(std::shared_ptr<const std::string> message) override { sent.push_back(*message); }
  void close() override {}
};

boost::json::object msg(int n) {
  return {{"type", "task"}, {"sequence", 0}, {"n", n}};
}

std::int64_t sequence_of(const std::string& text) {
  return boost::json::parse(text).at("sequence").as_int64();
}

TEST(Hub, StampsItsOwnSequenceAcrossStreams) {
  Hub hub;
  auto out = std::make_shared<Recorder>();
  hub.join(7, out, std::nullopt, hub.epoch());
  EXPECT_EQ(hub.publish(7, "task-updates", 40, msg(1)), 1);
  EXPECT_EQ(hub.publish(7, "notifications", 1, msg(2)), 2);  // another producer's id series
  ASSERT_EQ(out->sent.size(), 3u);                           // hello + 2
  EXPECT_EQ(sequence_of(out->sent[1]), 1);
  EXPECT_EQ(sequence_of(out->sent[2]), 2);
}

TEST(Hub, IgnoresRedeliveriesButNotLateLowerIds) {
  Hub hub;
  auto out = std::make_shared<Recorder>();
  hub.join(7, out, std::nullopt, hub.epoch());
  EXPECT_GT(hub.publish(7, "task-updates", 12, msg(1)), 0);
  EXPECT_GT(hub.publish(7, "task-updates", 11, msg(2)), 0);  // committed later, arrives later
  EXPECT_EQ(hub.publish(7, "task-updates", 12, msg(3)), 0);  // redelivered
  EXPECT_EQ(hub.publish(7, "task-updates", 11, msg(4)), 0);
  EXPECT_EQ(out->sent.size(), 3u);
}

TEST(Hub, ForgetsOnlyBeyondTheRecentWindow) {
  HubSettings settings;
  settings.recent_events = 2;
  Hub hub{settings};
  EXPECT_GT(hub.publish(1, "s", 1, msg(1)), 0);
  EXPECT_GT(hub.publish(1, "s", 2, msg(2)), 0);
  EXPECT_EQ(hub.publish(1, "s", 2, msg(2)), 0);
  EXPECT_GT(hub.publish(1, "s", 3, msg(3)), 0);  // 1 leaves the window
  EXPECT_EQ(hub.publish(1, "s", 3, msg(3)), 0);
}

TEST(Hub, CatchUpReplaysWhatWasMissedByHubSequence) {
  Hub hub;
  hub.publish(7, "task-updates", 5, msg(1));
  hub.publish(7, "task-updates", 6, msg(2));
  auto out = std::make_shared<Recorder>();
  hub.join(7, out, 1, hub.epoch());
  ASSERT_EQ(out->sent.size(), 2u);  // hello + the one after sequence 1
  EXPECT_EQ(sequence_of(out->sent[1]), 2);
}

}  // namespace
}  // namespace tickler::services::realtime
