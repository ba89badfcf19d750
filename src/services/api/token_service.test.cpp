#include "services/api/token_service.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <thread>

#include "auth/digest.hpp"
#include "store/sqlite/sqlite_test_support.hpp"

namespace tickler::services::api {
namespace {

using namespace std::chrono_literals;

class TokenServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    ann_ = add_user("ann@example.com");
    bo_ = add_user("bo@example.com");
  }
  core::UserId add_user(const std::string& email) {
    auto u = store_->write_value([&](store::Writer& w) {
      return w.insert_user({0, email, "", "hash", core::now()});
    });
    EXPECT_TRUE(u) << u.error().message;
    return u ? u->id : 0;
  }
  // Two services over one store stand for two processes (api replicas).
  TokenService service(TokenSettings settings = {}) { return TokenService{*store_, settings}; }
  static TokenRequest request(std::vector<std::string> scopes = {"tasks:read", "tasks:write"},
                              std::optional<int> days = std::nullopt) {
    return {"laptop script", std::move(scopes), days};
  }
  std::optional<store::ApiToken> stored(const std::string& secret) {
    auto t = store_->read_value(
        [&](store::Reader& r) { return r.api_token_by_hash(auth::sha256_hex(secret)); });
    EXPECT_TRUE(t);
    return t ? *t : std::nullopt;
  }

  store::sqlite::ScratchSqlite scratch_{"tickler-tokens"};
  std::unique_ptr<store::sqlite::SqliteStore>& store_ = scratch_.store;
  core::UserId ann_ = 0;
  core::UserId bo_ = 0;
};

TEST_F(TokenServiceTest, AMadeTokenIsShownOnceAndStoredOnlyAsItsHash) {
  auto tokens = service();
  auto made = tokens.create(ann_, request());
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_TRUE(made->secret.starts_with("tkl_pat_"));
  EXPECT_EQ(made->secret.size(), 8U + 43U);  // 32 random bytes, base64url without padding
  EXPECT_EQ(made->token.prefix, made->secret.substr(0, 12));
  EXPECT_EQ(made->token.name, "laptop script");
  EXPECT_EQ(made->token.user_id, ann_);
  EXPECT_FALSE(made->token.expires_at);
  EXPECT_EQ(made->token.token_hash, auth::sha256_hex(made->secret));
  auto listed = tokens.list(ann_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ((*listed)[0].token_hash, auth::sha256_hex(made->secret));
  EXPECT_EQ((*listed)[0].token_hash.find(made->secret.substr(8)), std::string::npos);
  auto again = tokens.create(ann_, request());
  ASSERT_TRUE(again);
  EXPECT_NE(again->secret, made->secret);
}

TEST_F(TokenServiceTest, WriteImpliesReadAndUnknownScopesAreRefused) {
  auto tokens = service();
  auto write_only = tokens.create(ann_, request({"tasks:write"}));
  ASSERT_TRUE(write_only);
  EXPECT_EQ(write_only->token.scopes, (std::vector<std::string>{"tasks:read", "tasks:write"}));
  auto read_twice = tokens.create(ann_, request({"tasks:read", "tasks:read"}));
  ASSERT_TRUE(read_twice);
  EXPECT_EQ(read_twice->token.scopes, std::vector<std::string>{"tasks:read"});
  for (const auto& bad : {std::vector<std::string>{}, std::vector<std::string>{"account"},
                          std::vector<std::string>{"tasks:read", "TASKS:WRITE"}}) {
    auto refused = tokens.create(ann_, request(bad));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::validation_failed);
    EXPECT_EQ(std::get<std::string>(refused.error().details.at("field")), "scopes");
  }
}

TEST_F(TokenServiceTest, NamesAndExpiriesAreChecked) {
  auto tokens = service();
  auto field_of = [&](TokenRequest r) {
    auto refused = tokens.create(ann_, std::move(r));
    EXPECT_FALSE(refused);
    return refused ? std::string{} : std::get<std::string>(refused.error().details.at("field"));
  };
  auto r = request();
  r.name = "   ";
  EXPECT_EQ(field_of(r), "name");
  r.name = std::string(101, 'x');
  EXPECT_EQ(field_of(r), "name");
  r.name = "tab\there";
  EXPECT_EQ(field_of(r), "name");
  EXPECT_EQ(field_of(request({"tasks:read"}, 0)), "expires_in_days");
  EXPECT_EQ(field_of(request({"tasks:read"}, 3651)), "expires_in_days");
  r.name = "  " + std::string(100, 'y') + " ";
  auto longest = tokens.create(ann_, r);
  ASSERT_TRUE(longest);
  EXPECT_EQ(longest->token.name, std::string(100, 'y'));
  auto dated = tokens.create(ann_, request({"tasks:read"}, 30));
  ASSERT_TRUE(dated);
  ASSERT_TRUE(dated->token.expires_at);
  EXPECT_EQ(*dated->token.expires_at - dated->token.created_at, std::chrono::days{30});
}

TEST_F(TokenServiceTest, AUserHoldsAtMostTheCap) {
  auto tokens = service({.max_per_user = 3});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(tokens.create(ann_, request()));
  auto fourth = tokens.create(ann_, request());
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code, core::Errc::conflict);
  EXPECT_EQ(fourth.error().code_name, "too_many_tokens");
  EXPECT_TRUE(tokens.create(bo_, request()));  // per user
  auto listed = tokens.list(ann_);
  ASSERT_TRUE(listed);
  ASSERT_TRUE(tokens.remove(ann_, listed->front().id));
  EXPECT_TRUE(tokens.create(ann_, request()));
}

TEST_F(TokenServiceTest, AuthenticateFindsTheTokenAndRefusesEverythingElse) {
  auto tokens = service();
  auto made = tokens.create(ann_, request({"tasks:read"}));
  ASSERT_TRUE(made);
  auto ok = tokens.authenticate(made->secret);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->user_id, ann_);
  EXPECT_EQ(ok->name, "laptop script");
  EXPECT_EQ(ok->scopes, std::vector<std::string>{"tasks:read"});

  auto flipped = made->secret;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  for (const auto& bad :
       {flipped, std::string{"tkl_pat_"}, std::string{"tkl_pat_short"}, made->secret + "!",
        std::string{"tkl_oat_"} + made->secret.substr(8), made->secret.substr(8)}) {
    auto refused = tokens.authenticate(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, core::Errc::unauthorized);
    EXPECT_FALSE(tokens.authenticate_known(bad));
  }
}

TEST_F(TokenServiceTest, AnExpiredTokenIsRefused) {
  auto tokens = service();
  auto made = tokens.create(ann_, request({"tasks:read"}, 1));
  ASSERT_TRUE(made);
  ASSERT_TRUE(tokens.authenticate(made->secret));
  auto row = *stored(made->secret);
  ASSERT_TRUE(store_->write([&](store::Writer& w) -> core::Status {
    // No setter for expiry: delete and insert the row again, expired a second ago.
    if (auto d = w.delete_api_token(ann_, row.id); !d) return d.error();
    row.expires_at = core::now() - 1s;
    if (auto i = w.insert_api_token(row); !i) return i.error();
    return {};
  }));
  auto other = service();  // no cached answer
  auto refused = other.authenticate(made->secret);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code_name, "token_expired");
}

TEST_F(TokenServiceTest, DeletionRevokesHereAtOnceElsewhereWithinTheTtl) {
  auto here = service({.cache_ttl = 50ms});
  auto elsewhere = service({.cache_ttl = 50ms});
  auto made = here.create(ann_, request());
  ASSERT_TRUE(made);
  ASSERT_TRUE(here.authenticate(made->secret));
  ASSERT_TRUE(elsewhere.authenticate(made->secret));
  EXPECT_TRUE(here.authenticate_known(made->secret));
  EXPECT_TRUE(elsewhere.authenticate_known(made->secret));

  auto other_users = here.remove(bo_, made->token.id);
  ASSERT_FALSE(other_users);
  EXPECT_EQ(other_users.error().code, core::Errc::not_found);
  EXPECT_TRUE(here.authenticate_known(made->secret));

  ASSERT_TRUE(here.remove(ann_, made->token.id));
  EXPECT_FALSE(here.authenticate_known(made->secret));
  EXPECT_FALSE(here.authenticate(made->secret));
  auto twice = here.remove(ann_, made->token.id);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, core::Errc::not_found);

  std::this_thread::sleep_for(60ms);  // the other process's cached answer is stale now
  EXPECT_FALSE(elsewhere.authenticate_known(made->secret));
  EXPECT_FALSE(elsewhere.authenticate(made->secret));
}

TEST_F(TokenServiceTest, ADisabledOrDeletedUsersTokensAreRefused) {
  auto tokens = service({.cache_ttl = 0ms});
  auto made = tokens.create(ann_, request());
  ASSERT_TRUE(made);
  ASSERT_TRUE(store_->write([&](store::Writer& w) -> core::Status {
    auto u = w.user_by_id(ann_);
    if (!u) return u.error();
    auto v = **u;
    v.disabled = true;
    return w.update_user(v);
  }));
  auto refused = tokens.authenticate(made->secret);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code_name, "account_disabled");
  ASSERT_TRUE(store_->write([&](store::Writer& w) { return w.delete_user(ann_); }));
  EXPECT_FALSE(tokens.authenticate(made->secret));
  EXPECT_FALSE(stored(made->secret));
}

TEST_F(TokenServiceTest, ForgettingAUserDropsOnlyTheirCachedTokens) {
  auto tokens = service({.cache_ttl = 1h});
  auto ann = tokens.create(ann_, request());
  auto bo = tokens.create(bo_, request());
  ASSERT_TRUE(ann && bo);
  ASSERT_TRUE(tokens.authenticate(ann->secret));
  ASSERT_TRUE(tokens.authenticate(bo->secret));
  ASSERT_TRUE(store_->write([&](store::Writer& w) { return TokenService::remove_all(w, ann_); }));
  tokens.forget_user(ann_);
  EXPECT_FALSE(tokens.authenticate_known(ann->secret));
  EXPECT_FALSE(tokens.authenticate(ann->secret));
  EXPECT_TRUE(tokens.authenticate_known(bo->secret));
}

TEST_F(TokenServiceTest, LastUseIsWrittenAtMostOncePerInterval) {
  auto tokens = service({.cache_ttl = 1h, .touch_interval = 1s});
  auto made = tokens.create(ann_, request());
  ASSERT_TRUE(made);
  EXPECT_FALSE(stored(made->secret)->last_used_at);
  EXPECT_FALSE(tokens.authenticate_known(made->secret));  // never checked yet
  ASSERT_TRUE(tokens.authenticate(made->secret));
  const auto first = stored(made->secret)->last_used_at;
  ASSERT_TRUE(first);
  // Within the interval: answered from the cache, the store is not written.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(tokens.authenticate_known(made->secret));
  ASSERT_TRUE(tokens.authenticate(made->secret));
  EXPECT_EQ(stored(made->secret)->last_used_at, first);
  std::this_thread::sleep_for(1100ms);
  EXPECT_FALSE(tokens.authenticate_known(made->secret));  // due for a write: the slow path
  ASSERT_TRUE(tokens.authenticate(made->secret));
  EXPECT_GT(*stored(made->secret)->last_used_at, *first);
  EXPECT_TRUE(tokens.authenticate_known(made->secret));
}

}  // namespace
}  // namespace tickler::services::api
