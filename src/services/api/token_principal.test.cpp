#include "services/api/token_principal.hpp"

#include <gtest/gtest.h>

namespace tickler::services::api {
namespace {

TEST(TokenPrincipal, APersonalTokenActsWithItsScopesUnderItsName) {
  store::ApiToken t;
  t.user_id = 4;
  t.name = "Nightly import";
  t.scopes = {"tasks:read"};
  auto p = personal_token_principal(t);
  EXPECT_EQ(p.user, 4);
  EXPECT_EQ(p.scopes, http::scope::tasks_read);
  EXPECT_FALSE(p.has(http::scope::tasks_write));
  EXPECT_FALSE(p.has(http::scope::account));
  EXPECT_EQ(p.actor, "token:Nightly import");
  t.scopes = {"tasks:read", "tasks:write", "account"};  // never a token's; ignored
  EXPECT_EQ(personal_token_principal(t).scopes, http::scope::tasks_read | http::scope::tasks_write);
}

TEST(TokenPrincipal, TheCredentialOfMeRebuildsThePrincipal) {
  const http::Principal token{
      4, http::scope::tasks_read | http::scope::tasks_write, "token:CI", {}};
  auto credential = credential_json(token);
  ASSERT_TRUE(credential);
  EXPECT_EQ(credential->at("kind").as_string(), "personal_token");
  EXPECT_EQ(credential->at("name").as_string(), "CI");
  EXPECT_EQ(credential->at("actor").as_string(), "token:CI");
  EXPECT_EQ(credential->at("scopes").as_array().size(), 2U);
  EXPECT_FALSE(credential->contains("audience"));

  boost::json::object me{{"id", 4}, {"email", "a@example.com"}, {"credential", *credential}};
  auto back = principal_from_me(me);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->user, 4);
  EXPECT_EQ(back->scopes, token.scopes);
  EXPECT_EQ(back->actor, token.actor);

  const http::Principal client{4, http::scope::tasks_read, "mcp:Claude", "https://t.example/mcp"};
  auto oauth = credential_json(client);
  ASSERT_TRUE(oauth);
  EXPECT_EQ(oauth->at("kind").as_string(), "oauth_client");
  me["credential"] = *oauth;
  EXPECT_EQ(principal_from_me(me)->audience, "https://t.example/mcp");
}

TEST(TokenPrincipal, ASessionHasNoCredentialAndIsRebuiltWithEveryScope) {
  EXPECT_FALSE(credential_json(http::session_principal(9)));
  auto p = principal_from_me(boost::json::object{{"id", 9}});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scopes, http::scope::all);
  EXPECT_EQ(p->actor, "user:9");
  EXPECT_FALSE(principal_from_me(boost::json::object{{"id", "9"}}));
  EXPECT_FALSE(principal_from_me(boost::json::object{{"id", 9}, {"credential", "x"}}));
}

}  // namespace
}  // namespace tickler::services::api
