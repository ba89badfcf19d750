#include "services/realtime/hub.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tickler::services::realtime {
namespace {

struct Recorder final : Outlet {
  std::vector<std::string> sent;
  void send(std::shared_ptr<const std::string> message) override { sent.push_back(*message); }
  void close() override {}
  void revoke(std::int64_t generation) override { revoked.push_back(generation); }
  std::vector<std::int64_t> revoked;
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

TEST(Hub, RevocationReachesTheUsersOutletsNowAndOnLaterJoins) {
  Hub hub;
  auto mine = std::make_shared<Recorder>();
  auto other = std::make_shared<Recorder>();
  hub.join(7, mine, std::nullopt, hub.epoch());
  hub.join(8, other, std::nullopt, hub.epoch());
  hub.revoke(7, 3);
  EXPECT_EQ(mine->revoked, std::vector<std::int64_t>{3});
  EXPECT_TRUE(other->revoked.empty());
  // A session that passed its token check just before the revocation learns of it on joining.
  auto late = std::make_shared<Recorder>();
  hub.join(7, late, std::nullopt, hub.epoch());
  EXPECT_EQ(late->revoked, std::vector<std::int64_t>{3});
  hub.revoke(7, 2);  // an older revocation arriving late lowers nothing
  auto later = std::make_shared<Recorder>();
  hub.join(7, later, std::nullopt, hub.epoch());
  EXPECT_EQ(later->revoked, std::vector<std::int64_t>{3});
}

}  // namespace
}  // namespace tickler::services::realtime
