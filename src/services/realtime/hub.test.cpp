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

std::vector<std::string> types(const Recorder& out) {
  std::vector<std::string> got;
  for (const auto& m : out.sent) got.emplace_back(boost::json::parse(m).at("type").as_string());
  return got;
}

TEST(Hub, AResumeWithinTheBufferGetsExactlyWhatWasMissedInOrder) {
  Hub hub;
  auto first = std::make_shared<Recorder>();
  hub.join(7, first, std::nullopt, hub.epoch());
  for (int n = 1; n <= 5; ++n) hub.publish(7, "task-updates", 100 + n, msg(n));
  hub.publish(8, "task-updates", 200, msg(99));  // someone else's
  hub.leave(7, first);
  const auto seen = sequence_of(first->sent[2]);  // the second message
  auto again = std::make_shared<Recorder>();
  hub.join(7, again, seen, hub.epoch());
  ASSERT_EQ(again->sent.size(), 4U);  // hello + 3, 4, 5
  EXPECT_EQ(types(*again), (std::vector<std::string>{"hello", "task", "task", "task"}));
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(boost::json::parse(again->sent[static_cast<std::size_t>(i)]).at("n").as_int64(),
              i + 2);
  }
}

TEST(Hub, AResumePastTheMaximumAgeIsToldToResync) {
  auto now = ReplayBuffer::Clock::time_point{};
  HubSettings settings;
  settings.max_age = std::chrono::seconds{60};
  settings.clock = [&now] { return now; };
  Hub hub{settings};
  const auto seq = hub.publish(7, "task-updates", 1, msg(1));
  hub.publish(7, "task-updates", 2, msg(2));
  now += std::chrono::seconds{61};
  auto out = std::make_shared<Recorder>();
  hub.join(7, out, seq - 1, hub.epoch());
  EXPECT_EQ(types(*out), (std::vector<std::string>{"hello", "resync"}));  // no silent hole
}

TEST(Hub, AResumeAfterItsMessagesWereDroppedForSpaceIsToldToResync) {
  HubSettings settings;
  settings.max_bytes = 32 * 1024;
  Hub hub{settings};
  const auto seq = hub.publish(7, "task-updates", 1, msg(1));
  std::int64_t last = 0;
  for (core::UserId user = 100; user < 200; ++user) {
    last = hub.publish(user, "task-updates", 1, msg(2));
  }
  auto out = std::make_shared<Recorder>();
  hub.join(7, out, seq - 1, hub.epoch());
  EXPECT_EQ(types(*out), (std::vector<std::string>{"hello", "resync"}));
  auto other = std::make_shared<Recorder>();  // the latest user's resume is still exact
  hub.join(199, other, last - 1, hub.epoch());
  EXPECT_EQ(types(*other), (std::vector<std::string>{"hello", "task"}));
}

TEST(Hub, ItsReplayBytesStayWithinTheBudgetWithTenThousandUsers) {
  HubSettings settings;
  settings.max_bytes = 2 * 1024 * 1024;
  Hub hub{settings};
  auto watcher = std::make_shared<Recorder>();
  hub.join(1, watcher, std::nullopt, hub.epoch());
  for (int round = 0; round < 5; ++round) {
    for (core::UserId user = 1; user <= 10'000; ++user) {
      hub.publish(user, "task-updates", round, msg(static_cast<int>(user)));
    }
  }
  std::string metrics;
  hub.write_metrics(metrics);
  const auto value = [&metrics](const std::string& name) {
    const auto at = metrics.find("\n" + name + " ");
    EXPECT_NE(at, std::string::npos) << name;
    return std::stoull(metrics.substr(at + name.size() + 2));
  };
  EXPECT_LE(value("tickler_realtime_replay_bytes"), settings.max_bytes);
  EXPECT_GT(value("tickler_realtime_replay_bytes"), settings.max_bytes / 2);
  EXPECT_LT(value("tickler_realtime_replay_users"), 10'000U);
  EXPECT_EQ(value("tickler_realtime_connections"), 1U);
  EXPECT_EQ(watcher->sent.size(), 6U);  // hello + the connected user's 5, live
}

}  // namespace
}  // namespace tickler::services::realtime
