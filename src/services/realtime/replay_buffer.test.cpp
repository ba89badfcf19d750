// ReplayBuffer: what a resume gets (exactly the messages after its sequence, or nullopt after a
// gap), the bounds (per user, by age, in all) and their fairness, with many users.
#include "services/realtime/replay_buffer.hpp"

#include <gtest/gtest.h>

namespace tickler::services::realtime {
namespace {

using namespace std::chrono_literals;
using Clock = ReplayBuffer::Clock;

const Clock::time_point t0{};

ReplayBuffer::Message text(std::size_t size, char fill = 'x') {
  return std::make_shared<const std::string>(size, fill);
}

std::vector<std::string> texts(const std::optional<std::vector<ReplayBuffer::Message>>& got) {
  std::vector<std::string> out;
  for (const auto& m : got.value()) out.push_back(*m);
  return out;
}

// Records and keeps one message; the sequence doubles as the event id.
void add(ReplayBuffer& buffer, core::UserId user, std::int64_t sequence,
         ReplayBuffer::Message message, Clock::time_point at) {
  ASSERT_TRUE(buffer.record(user, "task-updates", sequence));
  buffer.keep(user, sequence, std::move(message), at);
}

TEST(ReplayBuffer, AResumeGetsExactlyWhatFollowsItsSequenceInOrder) {
  ReplayBuffer buffer{{}};
  add(buffer, 7, 1, text(1, 'a'), t0);
  add(buffer, 8, 2, text(1, 'z'), t0);  // another user's: not theirs to get
  add(buffer, 7, 3, text(1, 'b'), t0);
  add(buffer, 7, 4, text(1, 'c'), t0);
  EXPECT_EQ(texts(buffer.after(7, 1, t0)), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(texts(buffer.after(7, 0, t0)), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(texts(buffer.after(7, 4, t0)).empty());
  EXPECT_TRUE(texts(buffer.after(9, 0, t0)).empty());  // a user with nothing ever: complete
}

TEST(ReplayBuffer, TheOldestGoFirstPastAUsersShareAndTheResumeIsToldOfTheGap) {
  ReplaySettings settings;
  settings.max_bytes_per_user = 3 * (text(1000)->size() + 200);
  ReplayBuffer buffer{settings};
  for (std::int64_t seq = 1; seq <= 10; ++seq) add(buffer, 7, seq, text(1000), t0);
  const auto kept = buffer.after(7, 0, t0);
  EXPECT_FALSE(kept);  // 1… were dropped: not a silent hole
  const auto tail = buffer.after(7, 7, t0);
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->size(), 3U);  // 8, 9, 10: within the share
  EXPECT_FALSE(buffer.after(7, 6, t0));

  settings.max_messages_per_user = 2;
  ReplayBuffer counted{settings};
  for (std::int64_t seq = 1; seq <= 5; ++seq) add(counted, 7, seq, text(1), t0);
  EXPECT_FALSE(counted.after(7, 2, t0));
  EXPECT_EQ(counted.after(7, 3, t0)->size(), 2U);
}

TEST(ReplayBuffer, AMessageOlderThanTheMaximumAgeIsNeverReplayed) {
  ReplaySettings settings;
  settings.max_age = 60s;
  ReplayBuffer buffer{settings};
  add(buffer, 7, 1, text(1, 'a'), t0);
  add(buffer, 7, 2, text(1, 'b'), t0 + 30s);
  EXPECT_EQ(texts(buffer.after(7, 0, t0 + 60s)), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(buffer.after(7, 0, t0 + 61s));  // "a" expired: the resume is told
  EXPECT_EQ(texts(buffer.after(7, 1, t0 + 61s)), (std::vector<std::string>{"b"}));
  EXPECT_FALSE(buffer.after(7, 1, t0 + 91s));  // "b" too

  // A user whose newest message expired is dropped whole by the next publish to anyone.
  add(buffer, 8, 3, text(1), t0 + 200s);
  EXPECT_EQ(buffer.users(), 1U);
  EXPECT_FALSE(buffer.after(7, 1, t0 + 200s));
  EXPECT_TRUE(buffer.after(7, 2, t0 + 200s));  // nothing of 7's after 2 was ever dropped
}

TEST(ReplayBuffer, TheBudgetTakesTheUsersPublishedToLeastRecentlyFirst) {
  ReplaySettings settings;
  settings.max_bytes = 64 * 1024;
  settings.max_bytes_per_user = 8 * 1024;
  ReplayBuffer buffer{settings};
  std::int64_t seq = 0;
  for (core::UserId user = 1; user <= 4; ++user) add(buffer, user, ++seq, text(500), t0);
  // One busy user: capped at its share, it evicts nobody else.
  for (int i = 0; i < 10'000; ++i) add(buffer, 99, ++seq, text(500), t0);
  EXPECT_LE(buffer.bytes(), settings.max_bytes);
  for (core::UserId user = 1; user <= 4; ++user) {
    EXPECT_EQ(buffer.after(user, 0, t0)->size(), 1U) << "user " << user;
  }
  // Many users: the least recently published to go, whole, and their resumes are told.
  for (core::UserId user = 100; user < 200; ++user) add(buffer, user, ++seq, text(2000), t0);
  EXPECT_LE(buffer.bytes(), settings.max_bytes);
  EXPECT_FALSE(buffer.after(1, 0, t0));
  EXPECT_FALSE(buffer.after(100, 0, t0));
  EXPECT_EQ(buffer.after(199, seq - 1, t0)->size(), 1U);
  EXPECT_TRUE(buffer.after(199, seq, t0)->empty());
}

TEST(ReplayBuffer, AUserDroppedWholeAndBackAgainResumesOnlyFromItsNewMessages) {
  ReplaySettings settings;
  settings.max_bytes = 4 * 1024;
  ReplayBuffer buffer{settings};
  add(buffer, 7, 1, text(100), t0);
  for (std::int64_t seq = 2; seq <= 40; ++seq) add(buffer, seq + 100, seq, text(100), t0);
  add(buffer, 7, 41, text(100), t0);  // back: its first message is gone
  EXPECT_FALSE(buffer.after(7, 0, t0));
  EXPECT_EQ(buffer.after(7, 40, t0)->size(), 1U);
}

TEST(ReplayBuffer, RecognisesRedeliveriesPerUserAndStream) {
  ReplaySettings settings;
  settings.recent_events = 3;
  ReplayBuffer buffer{settings};
  EXPECT_TRUE(buffer.record(7, "task-updates", 10));
  EXPECT_FALSE(buffer.record(7, "task-updates", 10));
  EXPECT_TRUE(buffer.record(7, "notifications", 10));  // another producer's id series
  EXPECT_TRUE(buffer.record(8, "task-updates", 10));   // another user
  for (std::int64_t id = 11; id <= 13; ++id) EXPECT_TRUE(buffer.record(7, "task-updates", id));
  EXPECT_TRUE(buffer.record(7, "task-updates", 10));  // beyond the last 3: forgotten
  EXPECT_FALSE(buffer.record(7, "task-updates", 13));
}

TEST(ReplayBuffer, StaysWithinItsBudgetWithTenThousandUsers) {
  ReplaySettings settings;
  settings.max_bytes = 4 * 1024 * 1024;
  settings.max_bytes_per_user = 64 * 1024;
  ReplayBuffer buffer{settings};
  std::int64_t seq = 0;
  std::size_t peak = 0;
  for (int round = 0; round < 20; ++round) {
    for (core::UserId user = 1; user <= 10'000; ++user) {
      add(buffer, user, ++seq, text(300 + static_cast<std::size_t>(user % 700)), t0);
      peak = std::max(peak, buffer.bytes());
    }
  }
  EXPECT_LE(peak, settings.max_bytes);
  EXPECT_GT(buffer.bytes(), settings.max_bytes / 2);  // and it is used
  EXPECT_LT(buffer.users(), 10'000U);
  // Every resume is exact or told of its gap: the last round's messages of a recent user are all
  // there; an evicted user's resume is refused.
  EXPECT_EQ(buffer.after(10'000, seq - 1, t0)->size(), 1U);
  EXPECT_FALSE(buffer.after(1, 0, t0));
}

}  // namespace
}  // namespace tickler::services::realtime
