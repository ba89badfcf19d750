// The routes of the roles that need neither a database nor the sidecar to be built: each serves
// its service's routes, the sidecar's subscription routes and the operational routes.
#include "app/role_process.hpp"

#include <gtest/gtest.h>

#include <set>

namespace tickler::app {
namespace {

using Routes = std::set<std::pair<std::string, std::string>>;

Routes routes_of(const std::string& role) {
  RoleConfig config;
  config.role = role;
  config.port = 0;
  config.jwt_secret = std::string(32, 'k');
  boost::asio::io_context ioc;
  RoleProcess process{config, ioc};
  Routes routes;
  for (const auto& r : process.process().router().routes()) {
    routes.emplace(std::string{http::beast_http::to_string(r.method)}, r.pattern);
  }
  return routes;
}

const Routes k_common{{"GET", "/dapr/subscribe"},
                      {"POST", "/events/{topic}/{name}"},
                      {"GET", "/healthz"},
                      {"GET", "/readyz"},
                      {"GET", "/metrics"}};

// The OAuth endpoints the frontend passes on to the api.
const Routes k_oauth{{"GET", "/.well-known/oauth-protected-resource/mcp"},
                     {"GET", "/.well-known/oauth-protected-resource"},
                     {"GET", "/.well-known/oauth-authorization-server"},
                     {"GET", "/oauth/authorize"},
                     {"POST", "/oauth/register"},
                     {"POST", "/oauth/token"},
                     {"POST", "/oauth/revoke"}};

TEST(RoleProcess, RecurrerAndRealtimeServeTheSidecarsAndTheOperationalRoutes) {
  EXPECT_EQ(routes_of("recurrer"), k_common);
  EXPECT_EQ(routes_of("realtime"), k_common);
}

TEST(RoleProcess, FrontendPassesEveryApiRouteOn) {
  auto routes = routes_of("frontend");
  for (const auto& r : k_common) EXPECT_EQ(routes.erase(r), 1U) << r.second;
  EXPECT_EQ(routes.erase({"POST", "/mcp"}) + routes.erase({"DELETE", "/mcp"}), 2U);
  for (const auto& r : k_oauth) EXPECT_EQ(routes.erase(r), 1U) << r.second;
  // A chat turn has its own route: its answer comes back as JSON (chat_forwarding.hpp).
  EXPECT_EQ(routes.erase({"POST", "/api/chat"}), 1U);
  // The links mailed or pushed to users (the api serves a task's and passes a confirmation on).
  for (const char* path : {"/links/task/{token}", "/links/email/{token}", "/links/push/{token}",
                           "/links/ntfy/{token}"}) {
    EXPECT_EQ(routes.erase({"GET", path}) + routes.erase({"POST", path}), 2U) << path;
  }
  EXPECT_EQ(routes.size(), 25U);  // five depths, five methods
  EXPECT_TRUE(routes.contains({"PATCH", "/api/{p0}/{p1}/{p2}"}));
  EXPECT_TRUE(routes.contains({"DELETE", "/api/{p0}/{p1}/{p2}/{p3}/{p4}"}));
}

}  // namespace
}  // namespace tickler::app
