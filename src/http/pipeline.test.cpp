#include "http/pipeline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "http/response.hpp"

namespace tickler::http {
namespace {

TEST(TraceId, IsTakenFromAWellFormedTraceparentOnly) {
  EXPECT_EQ(trace_id_of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  // A later version may append fields after a dash.
  EXPECT_EQ(trace_id_of("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(trace_id_of(""), "");
  EXPECT_EQ(trace_id_of("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(trace_id_of("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(trace_id_of("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(trace_id_of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"), "");
  EXPECT_EQ(trace_id_of("00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01"), "");
}

}  // namespace
}  // namespace tickler::http

namespace tickler::http {
namespace {

// A pipeline over one route that needs `access`, whose authenticator knows the token "read"
// (scope tasks:read) and "write" (tasks:read and tasks:write).
class PipelineAccess : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(beast_http::verb::post, "/api/things", Access::tasks_write,
                [this](RequestContext& ctx) -> net::awaitable<Response> {
                  seen_ = ctx.principal;
                  co_return empty_response(beast_http::status::no_content);
                });
    router_.add(beast_http::verb::get, "/api/settings", Access::account,
                [](RequestContext&) -> net::awaitable<Response> {
                  co_return empty_response(beast_http::status::no_content);
                });
  }

  Response run(std::string target, std::string bearer, const Principal* as = nullptr) {
    Request req{beast_http::verb::post, target, 11};
    if (target == "/api/settings") req.method(beast_http::verb::get);
    if (!bearer.empty()) req.set(beast_http::field::authorization, "Bearer " + bearer);
    auto done = net::co_spawn(
        ioc_,
        [&]() -> net::awaitable<Response> {
          if (as) co_return co_await pipeline_.invoke(req, *as);
          co_return co_await pipeline_.handle(req, "127.0.0.1");
        },
        net::use_future);
    ioc_.run();
    ioc_.restart();
    return done.get();
  }

  static net::awaitable<core::Result<Principal>> authenticate(std::string_view token) {
    if (token == "read") co_return Principal{7, scope::tasks_read, "token:r", {}};
    if (token == "write") {
      co_return Principal{7, scope::tasks_read | scope::tasks_write, "token:w", {}};
    }
    co_return core::make_error(core::Errc::unauthorized, "unknown token");
  }

  net::io_context ioc_;
  Router router_;
  Metrics metrics_;
  Pipeline pipeline_{{}, router_, metrics_, &PipelineAccess::authenticate};
  std::optional<Principal> seen_;
};

TEST_F(PipelineAccess, AnswersInsufficientScopeForACredentialWithoutTheRoutesScope) {
  const auto res = run("/api/things", "read");
  EXPECT_EQ(res.result(), beast_http::status::forbidden);
  EXPECT_NE(res.body().find("\"insufficient_scope\""), std::string::npos);
  EXPECT_EQ(res[beast_http::field::www_authenticate],
            "Bearer error=\"insufficient_scope\", scope=\"tasks:write\"");
  EXPECT_FALSE(seen_);
}

TEST_F(PipelineAccess, GivesTheHandlerThePrincipalOfACredentialWithTheScope) {
  EXPECT_EQ(run("/api/things", "write").result(), beast_http::status::no_content);
  ASSERT_TRUE(seen_);
  EXPECT_EQ(seen_->user, 7);
  EXPECT_EQ(seen_->actor, "token:w");
}

TEST_F(PipelineAccess, KeepsAccountRoutesToSessions) {
  EXPECT_EQ(run("/api/settings", "write").result(), beast_http::status::forbidden);
  EXPECT_EQ(run("/api/settings", "nope").result(), beast_http::status::unauthorized);
  EXPECT_EQ(run("/api/settings", "").result(), beast_http::status::unauthorized);
}

TEST_F(PipelineAccess, InvokeRunsAsTheGivenPrincipalAndStillEnforcesAccess) {
  const Principal reader{9, scope::tasks_read, "mcp:test", {}};
  EXPECT_EQ(run("/api/things", "", &reader).result(), beast_http::status::forbidden);
  const Principal writer{9, scope::all, "mcp:test", {}};
  // The bearer header is not read: the given principal acts.
  EXPECT_EQ(run("/api/things", "read", &writer).result(), beast_http::status::no_content);
  ASSERT_TRUE(seen_);
  EXPECT_EQ(seen_->user, 9);
  EXPECT_EQ(seen_->actor, "mcp:test");
}

}  // namespace
}  // namespace tickler::http
