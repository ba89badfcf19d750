// The pipeline and OAuth: audience-bound tokens stay on their resource, the challenge hook
// answers 401s of protected paths, form bodies reach the routes that take them.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "http/pipeline.hpp"
#include "http/response.hpp"

namespace tickler::http {
namespace {

class PipelineAudience : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* path : {"/mcp", "/api/tasks"}) {
      router_.add(beast_http::verb::post, path, Access::tasks_read,
                  [](RequestContext&) -> net::awaitable<Response> {
                    co_return empty_response(beast_http::status::no_content);
                  });
    }
    router_.add(
        beast_http::verb::post, "/oauth/token", Access::open,
        [](RequestContext&) -> net::awaitable<Response> {
          co_return empty_response(beast_http::status::no_content);
        },
        Body::json_or_form);
    pipeline_.set_challenge([](const Request&, std::string_view path, Response& res) {
      if (path == "/mcp")
        res.set(beast_http::field::www_authenticate, "Bearer resource_metadata=x");
    });
  }

  Response run(std::string target, std::string bearer, std::string content_type = {},
               const Principal* as = nullptr) {
    Request req{beast_http::verb::post, target, 11};
    if (!bearer.empty()) req.set(beast_http::field::authorization, "Bearer " + bearer);
    if (!content_type.empty()) {
      req.set(beast_http::field::content_type, content_type);
      req.body() = "a=b";
      req.prepare_payload();
    }
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
    if (token == "oauth") co_return Principal{7, scope::tasks_read, "mcp:App", "http://h/mcp"};
    if (token == "session") co_return session_principal(7);
    co_return core::make_error(core::Errc::unauthorized, "unknown token");
  }

  net::io_context ioc_;
  Router router_;
  Metrics metrics_;
  Pipeline pipeline_{{}, router_, metrics_, &PipelineAudience::authenticate};
};

TEST_F(PipelineAudience, AnAudienceBoundTokenWorksOnItsResourceOnly) {
  EXPECT_EQ(run("/mcp", "oauth").result(), beast_http::status::no_content);
  auto elsewhere = run("/api/tasks", "oauth");
  EXPECT_EQ(elsewhere.result(), beast_http::status::unauthorized);
  EXPECT_NE(elsewhere.body().find("invalid_token"), std::string::npos);
  EXPECT_NE(elsewhere[beast_http::field::www_authenticate].find("invalid_token"),
            std::string::npos);
  EXPECT_EQ(run("/api/tasks", "session").result(), beast_http::status::no_content);
  // In-process, as a given principal (a tool running a REST route): no audience check.
  const Principal oauth{7, scope::tasks_read, "mcp:App", "http://h/mcp"};
  EXPECT_EQ(run("/api/tasks", "", {}, &oauth).result(), beast_http::status::no_content);
}

TEST_F(PipelineAudience, TheChallengeIsAddedToUnauthorizedAnswersOfItsPaths) {
  auto none = run("/mcp", "");
  EXPECT_EQ(none.result(), beast_http::status::unauthorized);
  EXPECT_EQ(none[beast_http::field::www_authenticate], "Bearer resource_metadata=x");
  auto bad = run("/mcp", "nope");
  EXPECT_EQ(bad.result(), beast_http::status::unauthorized);
  EXPECT_EQ(bad[beast_http::field::www_authenticate], "Bearer resource_metadata=x");
  EXPECT_EQ(run("/api/tasks", "")[beast_http::field::www_authenticate], "");
}

TEST_F(PipelineAudience, FormBodiesReachOnlyTheRoutesThatTakeThem) {
  EXPECT_EQ(run("/oauth/token", "", "application/x-www-form-urlencoded").result(),
            beast_http::status::no_content);
  EXPECT_EQ(run("/oauth/token", "", "application/json").result(), beast_http::status::no_content);
  EXPECT_EQ(run("/api/tasks", "session", "application/x-www-form-urlencoded").result(),
            beast_http::status::unsupported_media_type);
}

TEST(WithinAudience, ThePathOfTheResourceAndBelow) {
  EXPECT_TRUE(within_audience("https://h.example/mcp", "/mcp"));
  EXPECT_TRUE(within_audience("https://h.example/mcp/", "/mcp/x"));
  EXPECT_FALSE(within_audience("https://h.example/mcp", "/mcpx"));
  EXPECT_FALSE(within_audience("https://h.example/mcp", "/api/tasks"));
  EXPECT_TRUE(within_audience("https://h.example", "/api/tasks"));
  EXPECT_FALSE(within_audience("not a url", "/mcp"));
}

}  // namespace
}  // namespace tickler::http
