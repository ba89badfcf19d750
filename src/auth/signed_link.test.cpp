#include "auth/signed_link.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "auth/jwt.hpp"

namespace tickler::auth {
namespace {

const std::string k_key = link_key(std::string(32, 's'));

LinkClaims claims(core::Instant expires) {
  return {"task", "done", 42, "7", new_link_id(), expires};
}

TEST(SignedLink, SignedClaimsVerifyUntilTheyExpire) {
  ASSERT_GE(sodium_init(), 0);
  const auto now = core::now();
  const auto c = claims(now + std::chrono::hours{1});
  const auto token = sign_link(k_key, c);
  auto back = verify_link(k_key, token, now);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, c);
  auto late = verify_link(k_key, token, now + std::chrono::hours{1});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code_name, "link_expired");
}

TEST(SignedLink, TamperingOrAnotherKeyIsRefused) {
  const auto now = core::now();
  auto c = claims(now + std::chrono::hours{1});
  const auto token = sign_link(k_key, c);
  // Another action under the same signature.
  c.action = "snooze-1h";
  const auto other = sign_link(k_key, c);
  const auto forged = other.substr(0, other.find('.')) + token.substr(token.find('.'));
  for (const auto& bad : {forged, token + "x", token.substr(1), std::string{"abc"}, std::string{},
                          sign_link(link_key(std::string(32, 't')), c)}) {
    auto r = verify_link(k_key, bad, now);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code_name, "link_invalid");
  }
}

TEST(SignedLink, KeyIsNotTheJwtSecretAndIdsDiffer) {
  EXPECT_NE(link_key(std::string(32, 's')), std::string(32, 's'));
  EXPECT_EQ(new_link_id().size(), 32U);
  EXPECT_NE(new_link_id(), new_link_id());
}

}  // namespace
}  // namespace tickler::auth
