#include "services/api/mcp_session.hpp"

#include <gtest/gtest.h>

#include "auth/jwt.hpp"

namespace tickler::services::api::mcp {
namespace {

SessionSettings settings(std::size_t ended_capacity = 10) {
  return {session_key(std::string(32, 'k')), std::chrono::hours{1}, ended_capacity};
}

const core::Instant t0 = core::from_millis(1'800'000'000'000);

TEST(McpSession, AnIdCarriesItsSessionAndIsSigned) {
  Sessions sessions{settings()};
  const auto id = sessions.begin({7, "2025-11-25", "Claude Code", t0});
  EXPECT_TRUE(id.starts_with("s1."));
  EXPECT_LT(id.size(), 300u);
  for (char c : id) EXPECT_TRUE(c >= 0x21 && c <= 0x7e) << id;
  auto s = sessions.find(id, t0 + std::chrono::minutes{5});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->user, 7);
  EXPECT_EQ(s->protocol_version, "2025-11-25");
  EXPECT_EQ(s->client_name, "Claude Code");
  // Another replica (same secret) reads it; another secret does not; two sessions differ.
  EXPECT_TRUE(Sessions{settings()}.find(id, t0));
  Sessions other{{session_key(std::string(32, 'x')), std::chrono::hours{1}, 10}};
  EXPECT_EQ(other.find(id, t0).error().code, core::Errc::not_found);
  EXPECT_NE(sessions.begin({7, "2025-11-25", "Claude Code", t0}), id);
}

TEST(McpSession, TamperedExpiredAndForeignIdsAreNotSessions) {
  Sessions sessions{settings()};
  const auto id = sessions.begin({7, "2025-11-25", "c", t0});
  EXPECT_FALSE(sessions.find(id, t0 + std::chrono::hours{1}));
  // The claims of another user under the same signature.
  const auto dot = id.rfind('.');
  const auto forged = std::string{"s1."} +
                      auth::base64url_encode(R"({"u":8,"v":"2025-11-25","c":"c","t":1800000000})") +
                      id.substr(dot);
  EXPECT_FALSE(sessions.find(forged, t0));
  for (std::string bad : {std::string{}, std::string{"s1."}, std::string{"s1.."}, id + "x",
                          id.substr(1), std::string(600, 'a'), std::string{"s1.e30.e30"}}) {
    EXPECT_FALSE(sessions.find(bad, t0)) << bad;
  }
}

TEST(McpSession, EndedSessionsAreRememberedWithinABound) {
  Sessions sessions{settings(2)};
  const auto a = sessions.begin({1, "2025-06-18", "a", t0});
  const auto b = sessions.begin({1, "2025-06-18", "b", t0});
  const auto c = sessions.begin({1, "2025-06-18", "c", t0});
  sessions.end(a, t0);
  sessions.end(a, t0);  // twice is once
  EXPECT_FALSE(sessions.find(a, t0));
  EXPECT_TRUE(sessions.find(b, t0));
  sessions.end(b, t0);
  sessions.end(c, t0);  // the record is full: the oldest ended id is forgotten
  EXPECT_FALSE(sessions.find(b, t0));
  EXPECT_FALSE(sessions.find(c, t0));
  EXPECT_TRUE(sessions.find(a, t0));
  sessions.end("s1.garbage", t0);  // not a session: nothing to remember
}

TEST(McpSession, ClientNamesAreSanitizedAndBounded) {
  EXPECT_EQ(client_name_of("Claude Desktop"), "Claude Desktop");
  EXPECT_EQ(client_name_of("  mcp-inspector/0.9 "), "mcp-inspector/0.9");
  EXPECT_EQ(client_name_of("evil\r\nname\t\"x\""), "evil_name_x");
  EXPECT_EQ(client_name_of("Caf\xc3\xa9 client"), "Caf_ client");
  EXPECT_EQ(client_name_of(""), "unnamed");
  EXPECT_EQ(client_name_of("\x01\x02"), "unnamed");
  EXPECT_EQ(client_name_of(std::string(500, 'a')).size(), 64u);
}

}  // namespace
}  // namespace tickler::services::api::mcp
