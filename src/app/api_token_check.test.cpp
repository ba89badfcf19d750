#include "app/api_token_check.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

namespace tickler::app {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;

constexpr std::string_view k_pat = "tkl_pat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const std::string k_token_me =
    R"({"id": 7, "email": "a@example.com", "name": "", "created_at": "2026-01-01T00:00:00.000Z",)"
    R"( "credential": {"kind": "personal_token", "name": "CI", "scopes": ["tasks:read"],)"
    R"( "actor": "token:CI"}})";
const std::string k_session_me =
    R"({"id": 7, "email": "a@example.com", "name": "", "created_at": "2026-01-01T00:00:00.000Z"})";

class ApiTokenCheck : public ::testing::Test {
 protected:
  http::Authenticator check(ApiTokenCheckSettings settings) {
    return api_token_check(
        [](std::string_view token) -> core::Result<core::UserId> {
          if (token == "good.jwt") return core::UserId{7};
          return core::make_error(core::Errc::unauthorized, "bad signature");
        },
        [this](const bus::dapr::Headers& headers) -> core::Result<bus::dapr::SidecarResponse> {
          ++asked_;
          last_authorization_ = headers.at(0).second;
          if (!reachable_) return core::make_error(core::Errc::unavailable, "no sidecar");
          return bus::dapr::SidecarResponse{status_.load(), body_, "application/json", {}};
        },
        offload_, settings);
  }
  core::Result<http::Principal> run(const http::Authenticator& auth, std::string token) {
    auto done = net::co_spawn(
        ioc_,
        [&]() -> http::net::awaitable<core::Result<http::Principal>> {
          co_return co_await auth(token);
        },
        net::use_future);
    ioc_.run();
    ioc_.restart();
    return done.get();
  }

  net::io_context ioc_;
  base::Offload offload_{1};
  std::atomic<int> asked_{0};
  std::atomic<unsigned> status_{200};
  std::string body_ = k_token_me;
  std::string last_authorization_;
  bool reachable_ = true;
};

TEST_F(ApiTokenCheck, AnOpaqueTokenIsAskedAboutAndItsAnswerKeptBriefly) {
  auto auth = check({.cache_ttl = 100ms});
  auto p = run(auth, std::string{k_pat});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->user, 7);
  EXPECT_EQ(p->scopes, http::scope::tasks_read);
  EXPECT_EQ(p->actor, "token:CI");
  EXPECT_EQ(last_authorization_, "Bearer " + std::string{k_pat});
  EXPECT_EQ(asked_, 1);
  ASSERT_TRUE(run(auth, std::string{k_pat}));
  EXPECT_EQ(asked_, 1);  // kept
  std::this_thread::sleep_for(120ms);
  status_ = 401;  // revoked meanwhile
  auto revoked = run(auth, std::string{k_pat});
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, core::Errc::unauthorized);
  EXPECT_EQ(asked_, 2);
  EXPECT_FALSE(run(auth, std::string{k_pat}));  // a refusal is not kept: asked again
  EXPECT_EQ(asked_, 3);
}

TEST_F(ApiTokenCheck, WithoutACacheEveryCheckAsks) {
  auto auth = check({.cache_ttl = 0ms});
  ASSERT_TRUE(run(auth, std::string{k_pat}));
  ASSERT_TRUE(run(auth, std::string{k_pat}));
  EXPECT_EQ(asked_, 2);
}

TEST_F(ApiTokenCheck, ASessionIsCheckedBySignatureAndAskedAboutOnlyWhenConfigured) {
  body_ = k_session_me;
  auto signature_only = check({.ask_about_sessions = false});
  auto p = run(signature_only, "good.jwt");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scopes, http::scope::all);
  EXPECT_EQ(p->actor, "user:7");
  EXPECT_FALSE(run(signature_only, "forged.jwt"));
  EXPECT_EQ(asked_, 0);

  auto asking = check({.ask_about_sessions = true});
  EXPECT_FALSE(run(asking, "forged.jwt"));  // refused before asking
  EXPECT_EQ(asked_, 0);
  ASSERT_TRUE(run(asking, "good.jwt"));
  EXPECT_EQ(asked_, 1);
  status_ = 401;
  auto revoked = run(asking, "good.jwt");
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, core::Errc::unauthorized);
}

TEST_F(ApiTokenCheck, AnApiThatCannotAnswerIsUnavailableNotUnauthorized) {
  auto auth = check({});
  reachable_ = false;
  auto down = run(auth, std::string{k_pat});
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, core::Errc::unavailable);
  reachable_ = true;
  status_ = 500;
  EXPECT_EQ(run(auth, std::string{k_pat}).error().code, core::Errc::unavailable);
  status_ = 200;
  body_ = "not json";
  EXPECT_EQ(run(auth, std::string{k_pat}).error().code, core::Errc::unavailable);
  body_ = R"({"id": 7, "credential": {"actor": 3}})";
  EXPECT_EQ(run(auth, std::string{k_pat}).error().code, core::Errc::unavailable);
}

}  // namespace
}  // namespace tickler::app
