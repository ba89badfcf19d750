// The Store contract for the OAuth area: clients, codes used once, grants (one per user and
// client, revoked with their tokens and codes), tokens (rotation, families, caps), the purge,
// and everything of a user's going with the user.
#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

const auto t0 = from_millis(1'700'000'000'000);

core::Instant at(std::int64_t seconds) {
  return t0 + std::chrono::seconds{seconds};
}

class OAuthContract : public StoreContract {
 protected:
  void put_client(const std::string& id, core::Instant created = t0) {
    ASSERT_TRUE(store_->write([&](Writer& w) {
      return w.put_oauth_client({id, R"({"client_name":"App"})", "", created, {}, {}});
    }));
  }

  OAuthGrant grant(core::UserId user, const std::string& client, const std::string& scopes,
                   core::Instant when = t0) {
    auto g =
        store_->write_value([&](Writer& w) { return w.grant_oauth(user, client, scopes, when); });
    EXPECT_TRUE(g) << g.error().message;
    return g ? *g : OAuthGrant{};
  }

  OAuthToken token(const std::string& hash, OAuthTokenKind kind, std::int64_t grant_id,
                   core::Instant created = t0, const std::string& family = "f1") {
    OAuthToken t{hash,
                 kind,
                 grant_id,
                 family,
                 "tasks:read",
                 "http://x/mcp",
                 created,
                 created + std::chrono::hours{1},
                 {}};
    EXPECT_TRUE(store_->write([&](Writer& w) { return w.insert_oauth_token(t); }));
    return t;
  }

  OAuthCode code(const std::string& hash, core::UserId user, std::int64_t grant_id,
                 core::Instant created = t0) {
    OAuthCode c{
        hash,        "client-1",   user,           grant_id, "http://127.0.0.1:5000/cb",
        "challenge", "tasks:read", "http://x/mcp", created,  created + std::chrono::seconds{60},
        false};
    EXPECT_TRUE(store_->write([&](Writer& w) { return w.insert_oauth_code(c); }));
    return c;
  }

  std::optional<OAuthTokenGrant> find_token(const std::string& hash) {
    auto t = store_->read_value([&](Reader& r) { return r.oauth_token(hash); });
    EXPECT_TRUE(t) << t.error().message;
    return t ? *t : std::nullopt;
  }
};

TEST_P(OAuthContract, ClientsAreStoredAndReplacedKeepingTheirHistory) {
  put_client("client-1");
  auto c = store_->read_value([](Reader& r) { return r.oauth_client("client-1"); });
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->metadata, R"({"client_name":"App"})");
  EXPECT_EQ((*c)->created_at, t0);
  EXPECT_FALSE((*c)->granted_at);
  auto count = store_->read_value([](Reader& r) { return r.oauth_ungranted_clients(); });
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1);

  grant(alice_, "client-1", "tasks:read", at(5));
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.put_oauth_client({"client-1", R"({"client_name":"New"})", "hash", at(9), {}, at(9)});
  }));
  c = store_->read_value([](Reader& r) { return r.oauth_client("client-1"); });
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->metadata, R"({"client_name":"New"})");
  EXPECT_EQ((*c)->secret_hash, "hash");
  EXPECT_EQ((*c)->created_at, t0);
  EXPECT_EQ((*c)->granted_at, at(5));
  EXPECT_EQ((*c)->fetched_at, at(9));
  count = store_->read_value([](Reader& r) { return r.oauth_ungranted_clients(); });
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 0);
  auto none = store_->read_value([](Reader& r) { return r.oauth_client("nope"); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(OAuthContract, ACodeIsUsedOnceAndAUserKeepsTheNewestOnly) {
  put_client("client-1");
  const auto g = grant(alice_, "client-1", "tasks:read");
  code("c1", alice_, g.id);
  auto c = store_->read_value([](Reader& r) { return r.oauth_code("c1"); });
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->grant_id, g.id);
  EXPECT_EQ((*c)->redirect_uri, "http://127.0.0.1:5000/cb");
  EXPECT_FALSE((*c)->used);
  auto first_use = store_->write_value([](Writer& w) { return w.use_oauth_code("c1"); });
  auto second_use = store_->write_value([](Writer& w) { return w.use_oauth_code("c1"); });
  auto unknown = store_->write_value([](Writer& w) { return w.use_oauth_code("zz"); });
  ASSERT_TRUE(first_use && second_use && unknown);
  EXPECT_TRUE(*first_use);
  EXPECT_FALSE(*second_use);
  EXPECT_FALSE(*unknown);

  for (int i = 0; i < 5; ++i) code("k" + std::to_string(i), alice_, g.id, at(i + 1));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.cap_oauth_codes(alice_, 2); }));
  for (auto [hash, kept] : {std::pair{"k4", true}, std::pair{"k3", true}, std::pair{"k2", false},
                            std::pair{"k0", false}, std::pair{"c1", true}}) {
    auto row = store_->read_value([&](Reader& r) { return r.oauth_code(hash); });
    ASSERT_TRUE(row);
    EXPECT_EQ(row->has_value(), kept) << hash;
  }
}

TEST_P(OAuthContract, OneGrantPerUserAndClientRevokedWithItsTokensAndCodes) {
  put_client("client-1");
  put_client("client-2");
  const auto g1 = grant(alice_, "client-1", "tasks:read", at(1));
  const auto again = grant(alice_, "client-1", "tasks:read tasks:write", at(2));
  EXPECT_EQ(again.id, g1.id);
  EXPECT_EQ(again.scopes, "tasks:read tasks:write");
  EXPECT_EQ(again.created_at, at(1));
  const auto g2 = grant(alice_, "client-2", "tasks:read", at(3));
  const auto bobs = grant(bob_, "client-1", "tasks:read", at(4));
  auto list = store_->read_value([&](Reader& r) { return r.oauth_grants(alice_); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2U);
  EXPECT_EQ((*list)[0].grant.id, g2.id);
  EXPECT_EQ((*list)[0].client.client_id, "client-2");
  EXPECT_EQ((*list)[1].grant.id, g1.id);

  token("a1", OAuthTokenKind::access, g1.id);
  token("r1", OAuthTokenKind::refresh, g1.id);
  token("b1", OAuthTokenKind::access, bobs.id);
  code("c1", alice_, g1.id);
  auto found = find_token("a1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->grant.user_id, alice_);
  EXPECT_EQ(found->client.client_id, "client-1");
  EXPECT_EQ(found->token.kind, OAuthTokenKind::access);

  auto by_bob =
      store_->write_value([&](Writer& w) { return w.revoke_oauth_grant(bob_, g1.id, at(5)); });
  ASSERT_TRUE(by_bob);
  EXPECT_FALSE(*by_bob);
  auto revoked =
      store_->write_value([&](Writer& w) { return w.revoke_oauth_grant(alice_, g1.id, at(5)); });
  ASSERT_TRUE(revoked);
  EXPECT_TRUE(*revoked);
  auto twice =
      store_->write_value([&](Writer& w) { return w.revoke_oauth_grant(alice_, g1.id, at(6)); });
  ASSERT_TRUE(twice);
  EXPECT_FALSE(*twice);
  EXPECT_FALSE(find_token("a1"));
  EXPECT_FALSE(find_token("r1"));
  EXPECT_TRUE(find_token("b1"));
  auto c = store_->read_value([](Reader& r) { return r.oauth_code("c1"); });
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
  auto g = store_->read_value([&](Reader& r) { return r.oauth_grant(g1.id); });
  ASSERT_TRUE(g && *g);
  EXPECT_EQ((*g)->revoked_at, at(5));
  list = store_->read_value([&](Reader& r) { return r.oauth_grants(alice_); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1U);

  // Granted again: the same row starts over.
  const auto renewed = grant(alice_, "client-1", "tasks:read", at(7));
  EXPECT_EQ(renewed.id, g1.id);
  EXPECT_EQ(renewed.created_at, at(7));
  EXPECT_FALSE(renewed.revoked_at);
  auto of = store_->read_value([&](Reader& r) { return r.oauth_grant_of(alice_, "client-1"); });
  ASSERT_TRUE(of && *of);
  EXPECT_EQ((*of)->id, g1.id);
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.touch_oauth_grant(g1.id, at(8)); }));
  g = store_->read_value([&](Reader& r) { return r.oauth_grant(g1.id); });
  ASSERT_TRUE(g && *g);
  EXPECT_EQ((*g)->last_used_at, at(8));
}

TEST_P(OAuthContract, RefreshTokensRotateOnceAndFamiliesAndCapsDelete) {
  put_client("client-1");
  const auto g = grant(alice_, "client-1", "tasks:read");
  token("r1", OAuthTokenKind::refresh, g.id);
  token("a1", OAuthTokenKind::access, g.id);
  auto rotated = store_->write_value([](Writer& w) { return w.rotate_oauth_token("r1", at(1)); });
  auto again = store_->write_value([](Writer& w) { return w.rotate_oauth_token("r1", at(2)); });
  auto access = store_->write_value([](Writer& w) { return w.rotate_oauth_token("a1", at(2)); });
  ASSERT_TRUE(rotated && again && access);
  EXPECT_TRUE(*rotated);
  EXPECT_FALSE(*again);
  EXPECT_FALSE(*access);
  auto r1 = find_token("r1");
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->token.rotated_at, at(1));

  auto deleted = store_->write_value([](Writer& w) { return w.delete_oauth_token("a1"); });
  auto gone = store_->write_value([](Writer& w) { return w.delete_oauth_token("a1"); });
  ASSERT_TRUE(deleted && gone);
  EXPECT_TRUE(*deleted);
  EXPECT_FALSE(*gone);

  token("x1", OAuthTokenKind::access, g.id, t0, "other");
  token("x2", OAuthTokenKind::refresh, g.id, t0, "other");
  ASSERT_TRUE(store_->write([](Writer& w) { return w.delete_oauth_family("other"); }));
  EXPECT_FALSE(find_token("x1"));
  EXPECT_FALSE(find_token("x2"));
  EXPECT_TRUE(find_token("r1"));

  for (int i = 0; i < 4; ++i) token("n" + std::to_string(i), OAuthTokenKind::access, g.id, at(i));
  ASSERT_TRUE(store_->write(
      [&](Writer& w) { return w.cap_oauth_tokens(g.id, OAuthTokenKind::access, 2); }));
  EXPECT_TRUE(find_token("n3"));
  EXPECT_TRUE(find_token("n2"));
  EXPECT_FALSE(find_token("n1"));
  EXPECT_TRUE(find_token("r1"));  // another kind
}

TEST_P(OAuthContract, PurgeRemovesWhatExpiredAndClientsNeverGranted) {
  put_client("stale", t0);
  put_client("fresh", at(3600));
  put_client("granted", t0);
  const auto g = grant(alice_, "granted", "tasks:read");
  code("old", alice_, g.id, t0);
  code("new", alice_, g.id, at(3600));
  token("old", OAuthTokenKind::access, g.id, t0);
  token("new", OAuthTokenKind::access, g.id, at(3600));
  auto removed = store_->write_value([&](Writer& w) { return w.purge_oauth(at(3600), at(1800)); });
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(*removed, 3);
  for (auto [id, kept] :
       {std::pair{"stale", false}, std::pair{"fresh", true}, std::pair{"granted", true}}) {
    auto c = store_->read_value([&](Reader& r) { return r.oauth_client(id); });
    ASSERT_TRUE(c);
    EXPECT_EQ(c->has_value(), kept) << id;
  }
  EXPECT_FALSE(find_token("old"));
  EXPECT_TRUE(find_token("new"));
  auto old_code = store_->read_value([](Reader& r) { return r.oauth_code("old"); });
  ASSERT_TRUE(old_code);
  EXPECT_FALSE(*old_code);
}

TEST_P(OAuthContract, DeletingAUserDeletesTheirGrantsCodesAndTokens) {
  put_client("client-1");
  const auto a = grant(alice_, "client-1", "tasks:read");
  const auto b = grant(bob_, "client-1", "tasks:read");
  token("a1", OAuthTokenKind::access, a.id);
  token("b1", OAuthTokenKind::access, b.id);
  code("ca", alice_, a.id);
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_user(alice_); }));
  EXPECT_FALSE(find_token("a1"));
  EXPECT_TRUE(find_token("b1"));
  auto c = store_->read_value([](Reader& r) { return r.oauth_code("ca"); });
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
  auto ga = store_->read_value([&](Reader& r) { return r.oauth_grant(a.id); });
  ASSERT_TRUE(ga);
  EXPECT_FALSE(*ga);
  auto client = store_->read_value([](Reader& r) { return r.oauth_client("client-1"); });
  ASSERT_TRUE(client);
  EXPECT_TRUE(*client);
}

INSTANTIATE_TEST_SUITE_P(Engines, OAuthContract,
                         ::testing::Values(Engine::sqlite, Engine::postgres), engine_name);

}  // namespace
}  // namespace tickler::store::contract
