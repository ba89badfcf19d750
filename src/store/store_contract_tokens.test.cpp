// The Store contract for personal API tokens: found by hash only, listed per user, unique
// hashes, deleted one by one or all of a user's, last use only moving forward, and gone with the
// user.
#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

const auto t0 = from_millis(1'700'000'000'000);

ApiToken token_of(core::UserId user, std::string name, std::string hash) {
  ApiToken t;
  t.user_id = user;
  t.name = std::move(name);
  t.token_hash = std::move(hash);
  t.prefix = "tkl_pat_abcd";
  t.scopes = {"tasks:read", "tasks:write"};
  t.created_at = t0;
  return t;
}

class TokenContract : public StoreContract {
 protected:
  ApiToken insert(ApiToken t) {
    auto r = store_->write_value([&](Writer& w) { return w.insert_api_token(t); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : ApiToken{};
  }
  std::vector<ApiToken> list(core::UserId user) {
    auto r = store_->read_value([&](Reader& tx) { return tx.api_tokens(user); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::vector<ApiToken>{};
  }
  std::optional<ApiToken> by_hash(const std::string& hash) {
    auto r = store_->read_value([&](Reader& tx) { return tx.api_token_by_hash(hash); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::nullopt;
  }
};

TEST_P(TokenContract, InsertedTokenReadsBackByHashAndInTheOwnersList) {
  auto read_only = token_of(alice_, "laptop script", "h1");
  read_only.scopes = {"tasks:read"};
  read_only.expires_at = t0 + std::chrono::hours{24};
  const auto a = insert(read_only);
  const auto b = insert(token_of(alice_, "claude", "h2"));
  EXPECT_GT(a.id, 0);
  EXPECT_GT(b.id, a.id);

  auto found = by_hash("h1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, a.id);
  EXPECT_EQ(found->user_id, alice_);
  EXPECT_EQ(found->name, "laptop script");
  EXPECT_EQ(found->prefix, "tkl_pat_abcd");
  EXPECT_EQ(found->scopes, std::vector<std::string>{"tasks:read"});
  EXPECT_EQ(found->created_at, t0);
  EXPECT_EQ(found->expires_at, t0 + std::chrono::hours{24});
  EXPECT_FALSE(found->last_used_at);
  EXPECT_FALSE(by_hash("nope"));

  const auto mine = list(alice_);
  ASSERT_EQ(mine.size(), 2U);
  EXPECT_EQ(mine[0].id, a.id);
  EXPECT_EQ(mine[1].id, b.id);
  EXPECT_EQ(mine[1].scopes, (std::vector<std::string>{"tasks:read", "tasks:write"}));
  EXPECT_FALSE(mine[1].expires_at);
  EXPECT_TRUE(list(bob_).empty());
  auto counts = store_->read_value([&](Reader& r) -> Result<std::pair<std::int64_t, std::int64_t>> {
    auto n = r.count_api_tokens(alice_);
    if (!n) return n.error();
    auto m = r.count_api_tokens(bob_);
    if (!m) return m.error();
    return std::pair{*n, *m};
  });
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->first, 2);
  EXPECT_EQ(counts->second, 0);
}

TEST_P(TokenContract, HashesAreUnique) {
  insert(token_of(alice_, "one", "same"));
  auto again = store_->write_value(
      [&](Writer& w) { return w.insert_api_token(token_of(bob_, "two", "same")); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::conflict);
  EXPECT_TRUE(list(bob_).empty());
}

TEST_P(TokenContract, DeletingTakesOnlyTheOwnersToken) {
  const auto a = insert(token_of(alice_, "a", "ha"));
  const auto b = insert(token_of(bob_, "b", "hb"));
  auto del = [&](core::UserId user, std::int64_t id) {
    auto r = store_->write_value([&](Writer& w) { return w.delete_api_token(user, id); });
    EXPECT_TRUE(r) << r.error().message;
    return r && *r;
  };
  EXPECT_FALSE(del(alice_, b.id));  // bob's: not alice's to delete
  EXPECT_TRUE(by_hash("hb"));
  EXPECT_TRUE(del(alice_, a.id));
  EXPECT_FALSE(del(alice_, a.id));  // once
  EXPECT_FALSE(by_hash("ha"));
  EXPECT_EQ(list(bob_).size(), 1U);
}

TEST_P(TokenContract, DeletingAllOfAUsersTokensCountsThem) {
  insert(token_of(alice_, "a", "ha"));
  insert(token_of(alice_, "b", "hb"));
  insert(token_of(bob_, "c", "hc"));
  auto n = store_->write_value([&](Writer& w) { return w.delete_api_tokens(alice_); });
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 2);
  EXPECT_TRUE(list(alice_).empty());
  EXPECT_EQ(list(bob_).size(), 1U);
  n = store_->write_value([&](Writer& w) { return w.delete_api_tokens(alice_); });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0);
}

TEST_P(TokenContract, LastUseOnlyMovesForward) {
  const auto a = insert(token_of(alice_, "a", "ha"));
  auto touch = [&](core::Instant at) {
    ASSERT_TRUE(store_->write([&](Writer& w) { return w.touch_api_token(a.id, at); }));
  };
  touch(t0 + std::chrono::minutes{5});
  EXPECT_EQ(by_hash("ha")->last_used_at, t0 + std::chrono::minutes{5});
  touch(t0 + std::chrono::minutes{1});  // a slower request that started earlier
  EXPECT_EQ(by_hash("ha")->last_used_at, t0 + std::chrono::minutes{5});
  touch(t0 + std::chrono::minutes{9});
  EXPECT_EQ(by_hash("ha")->last_used_at, t0 + std::chrono::minutes{9});
  // A token deleted meanwhile: nothing to touch, no error.
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.touch_api_token(a.id + 1000, t0); }));
}

TEST_P(TokenContract, TokensGoWithTheirUser) {
  insert(token_of(alice_, "a", "ha"));
  insert(token_of(bob_, "b", "hb"));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_user(alice_); }));
  EXPECT_FALSE(by_hash("ha"));
  EXPECT_TRUE(list(alice_).empty());
  EXPECT_TRUE(by_hash("hb"));
}

INSTANTIATE_TEST_SUITE_P(Engines, TokenContract,
                         ::testing::Values(Engine::sqlite, Engine::postgres), engine_name);

}  // namespace
}  // namespace tickler::store::contract
