#include "wire/account_events.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "wire/payload_test_support.hpp"

namespace tickler::wire {
namespace {

TEST(AccountEvents, RevokedRoundTripsAndIsChecked) {
  const UserRevoked e{7, 3};
  EXPECT_EQ(e.type(), "tickler.user.revoked.v1");
  EXPECT_EQ(e.subject(), "user/7");
  EXPECT_EQ(boost::json::serialize(e.to_json()), R"({"user_id":7,"token_generation":3})");
  auto back = UserRevoked::from_json(e.to_json());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->user_id, 7);
  EXPECT_EQ(back->token_generation, 3);
  testing::expect_members_checked<UserRevoked>(e.to_json(), {"user_id", "token_generation"});
}

TEST(AccountEvents, DeletedTravelsToTheNotifierAndTheAuditor) {
  const UserDeleted e{7};
  EXPECT_EQ(e.type(), "tickler.user.deleted.v1");
  EXPECT_EQ(e.subject(), "user/7");
  EXPECT_EQ((std::vector<std::string_view>{UserDeleted::topics.begin(), UserDeleted::topics.end()}),
            (std::vector<std::string_view>{"reminders", "task-events"}));
  EXPECT_EQ(boost::json::serialize(e.to_json()), R"({"user_id":7})");
  auto back = UserDeleted::from_json(e.to_json());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->user_id, 7);
  testing::expect_members_checked<UserDeleted>(e.to_json(), {"user_id"});
}

}  // namespace
}  // namespace tickler::wire
