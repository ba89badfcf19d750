#include "auth/jwt.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "auth/password.hpp"

namespace tickler::auth {
namespace {

const JwtSettings k_settings{std::string(32, 's'), std::chrono::hours{1}};

TEST(Jwt, IssuedTokenVerifies) {
  JwtIssuer jwt{k_settings};
  const auto now = core::now();
  const auto token = jwt.issue(42, now);
  auto id = jwt.verify(token, now);
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, 42);
}

TEST(Jwt, ClaimsCarryTheGenerationAndExpiry) {
  JwtIssuer jwt{k_settings};
  const auto now = core::from_millis(1'700'000'000'000);
  auto claims = jwt.verify_claims(jwt.issue(42, now, 7), now);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->user, 42);
  EXPECT_EQ(claims->generation, 7);
  EXPECT_EQ(claims->expires_at, now + std::chrono::hours{1});
  auto plain = jwt.verify_claims(jwt.issue(42, now), now);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->generation, 0);
}

TEST(Jwt, ExpiredTokenIsRefused) {
  JwtIssuer jwt{k_settings};
  const auto now = core::now();
  const auto token = jwt.issue(42, now);
  auto later = jwt.verify(token, now + std::chrono::hours{1} + std::chrono::seconds{1});
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().message, "token expired");
}

TEST(Jwt, OtherSecretOrTamperingIsRefused) {
  JwtIssuer jwt{k_settings};
  JwtIssuer other{{std::string(32, 'x'), std::chrono::hours{1}}};
  const auto now = core::now();
  const auto token = jwt.issue(42, now);
  EXPECT_FALSE(other.verify(token, now));
  // Re-sign nothing, change the payload: the signature no longer matches.
  const auto dot1 = token.find('.');
  const auto dot2 = token.rfind('.');
  const auto forged = token.substr(0, dot1 + 1) +
                      base64url_encode(R"({"sub":"1","iat":0,"exp":99999999999})") +
                      token.substr(dot2);
  EXPECT_FALSE(jwt.verify(forged, now));
  for (const char* junk : {"", "a.b", "a.b.c", "...", "not a token"}) {
    EXPECT_FALSE(jwt.verify(junk, now)) << junk;
  }
}

TEST(Jwt, Base64UrlRoundTrips) {
  const std::string bytes{"\x00\xff\xfe binary", 10};
  EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
  EXPECT_FALSE(base64url_decode("not base64!"));
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Jwt, HmacMatchesRfc4231Case2) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  const auto mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
  EXPECT_STREQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Password, HashVerifiesOnlyTheSamePassword) {
  ASSERT_GE(sodium_init(), 0);
  auto hash = hash_password("correct horse");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password(*hash, "correct horse"));
  EXPECT_FALSE(verify_password(*hash, "correct horse!"));
  EXPECT_FALSE(verify_password("garbage", "correct horse"));
  auto again = hash_password("correct horse");
  ASSERT_TRUE(again);
  EXPECT_NE(*hash, *again);  // salted
}

}  // namespace
}  // namespace tickler::auth
