#include "http/server.hpp"

#include <gtest/gtest.h>

namespace tickler::http {
namespace {

TEST(BodyLimit, TheFirstMatchingPrefixGivesTheLimitOtherwiseTheDefault) {
  ServerSettings s;
  s.body_limit = 64 * 1024;
  s.body_limits_by_prefix = {{"/events/", 4 * 1024 * 1024}, {"/events/small/", 1}};
  EXPECT_EQ(body_limit_for(s, "/events/task-events/auditor"), 4u * 1024 * 1024);
  EXPECT_EQ(body_limit_for(s, "/events/small/x"), 4u * 1024 * 1024);
  EXPECT_EQ(body_limit_for(s, "/api/tasks"), 64u * 1024);
  EXPECT_EQ(body_limit_for(s, "/event"), 64u * 1024);
  EXPECT_EQ(body_limit_for(ServerSettings{}, "/events/x/y"), 64u * 1024);
}

}  // namespace
}  // namespace tickler::http
