#include "http/router.hpp"

#include <gtest/gtest.h>

namespace tickler::http {
namespace {

Handler none() {
  return {};
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r;
  r.add(beast_http::verb::get, "/api/tasks", Access::tasks_read, none());
  r.add(beast_http::verb::get, "/api/tasks/{id}", Access::tasks_read, none());
  r.add(beast_http::verb::post, "/api/tasks/{id}/complete", Access::tasks_read, none());
  auto m = r.match(beast_http::verb::get, "/api/tasks/42");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->pattern, "/api/tasks/{id}");
  EXPECT_EQ(m.params.at("id"), "42");
  EXPECT_TRUE(r.match(beast_http::verb::post, "/api/tasks/42/complete").route);
  EXPECT_FALSE(r.match(beast_http::verb::get, "/api/tasks/42/other").path_known);
}

TEST(Router, KnownPathWithOtherMethodListsAllowed) {
  Router r;
  r.add(beast_http::verb::get, "/api/tasks/{id}", Access::tasks_read, none());
  r.add(beast_http::verb::patch, "/api/tasks/{id}", Access::tasks_read, none());
  auto m = r.match(beast_http::verb::put, "/api/tasks/1");
  EXPECT_FALSE(m.route);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.allowed.size(), 2U);
}

}  // namespace
}  // namespace tickler::http
