#include "services/api/auth_service.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <thread>

#include "store/sqlite/sqlite_test_support.hpp"

namespace tickler::services::api {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view k_password = "correct horse battery staple";

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  // Two services over one store stand for two processes (api replicas, or serve + tickler user).
  AuthService service(AuthSettings settings = {}) {
    return AuthService{*store_, auth::JwtIssuer{{std::string(32, 's'), 1h}}, limiter_, settings};
  }

  store::sqlite::ScratchSqlite scratch_{"tickler-auth"};
  std::unique_ptr<store::sqlite::SqliteStore>& store_ = scratch_.store;
  LoginLimiter limiter_;
};

TEST_F(AuthServiceTest, APasswordChangeRevokesOtherTokensHereAtOnceElsewhereWithinTheTtl) {
  auto here = service({SignupMode::open, 50ms});
  auto elsewhere = service({SignupMode::open, 50ms});
  auto signed_up = here.signup("ann@example.com", k_password, "Ann");
  ASSERT_TRUE(signed_up);
  const auto old_token = signed_up->token;
  ASSERT_TRUE(elsewhere.authenticate(old_token));

  auto changed = here.change_password(signed_up->user.id, k_password, "a new horse battery", "c");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->user.token_generation, 1);
  auto refused = here.authenticate(old_token);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code_name, "token_revoked");
  EXPECT_FALSE(here.authenticate_known(old_token));
  EXPECT_EQ(here.authenticate_known(changed->token), signed_up->user.id);

  std::this_thread::sleep_for(60ms);  // the other process's cached state is stale now
  EXPECT_FALSE(elsewhere.authenticate_known(old_token));
  EXPECT_FALSE(elsewhere.authenticate(old_token));
  EXPECT_TRUE(elsewhere.authenticate(changed->token));
}

TEST_F(AuthServiceTest, AWrongCurrentPasswordChangesNothing) {
  auto auth = service();
  auto u = auth.signup("bo@example.com", k_password, "");
  ASSERT_TRUE(u);
  auto wrong = auth.change_password(u->user.id, "not it at all", "a new horse battery", "c");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, core::Errc::forbidden);
  EXPECT_EQ(wrong.error().code_name, "wrong_password");
  EXPECT_TRUE(auth.authenticate(u->token));
}

TEST_F(AuthServiceTest, ADeletedUsersTokenIsRefusedEverywhere) {
  auto here = service({SignupMode::open, 50ms});
  auto elsewhere = service({SignupMode::open, 50ms});
  auto u = here.signup("cy@example.com", k_password, "");
  ASSERT_TRUE(u);
  ASSERT_TRUE(elsewhere.authenticate(u->token));
  ASSERT_TRUE(here.delete_account(u->user.id, k_password, "c"));
  EXPECT_FALSE(here.authenticate(u->token));
  EXPECT_FALSE(here.authenticate_known(u->token));
  std::this_thread::sleep_for(60ms);
  EXPECT_FALSE(elsewhere.authenticate_known(u->token));
  EXPECT_FALSE(elsewhere.authenticate(u->token));
  auto gone = store_->read_value([&](store::Reader& r) { return r.user_by_id(u->user.id); });
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
}

TEST_F(AuthServiceTest, DisablingRefusesTokensAndLogins) {
  auto auth = service();
  auto u = auth.signup("di@example.com", k_password, "");
  ASSERT_TRUE(u);
  ASSERT_TRUE(auth.set_disabled("di@example.com", true));
  auto refused = auth.authenticate(u->token);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code_name, "account_disabled");
  auto login = auth.login("di@example.com", k_password, "c");
  ASSERT_FALSE(login);
  EXPECT_EQ(login.error().code_name, "account_disabled");
  ASSERT_TRUE(auth.set_disabled(std::to_string(u->user.id), false));
  EXPECT_TRUE(auth.login("di@example.com", k_password, "c"));
  EXPECT_FALSE(auth.authenticate(u->token));  // revoked when disabled, for good
}

TEST_F(AuthServiceTest, SignupModes) {
  auto closed = service({SignupMode::closed});
  auto no = closed.signup("x@example.com", k_password, "");
  ASSERT_FALSE(no);
  EXPECT_EQ(no.error().code_name, "signup_closed");

  auto invite = service({SignupMode::invite});
  auto missing = invite.signup("x@example.com", k_password, "");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code_name, "invite_required");
  auto code = invite.create_invite(1h);
  ASSERT_TRUE(code);
  EXPECT_TRUE(invite.signup("x@example.com", k_password, "", *code));
  auto reused = invite.signup("y@example.com", k_password, "", *code);
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code_name, "invite_invalid");
}

}  // namespace
}  // namespace tickler::services::api
