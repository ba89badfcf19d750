// A chat turn passed on over service invocation: the next hop is asked for the JSON answer, and a
// client that wanted the event stream gets the answer as the assistant's own events.
#include "app/chat_forwarding.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>

namespace tickler::app {
namespace {

namespace bh = boost::beast::http;

const boost::json::object k_answer{
    {"conversation_id", "c1"},
    {"message",
     {{"role", "assistant"},
      {"text", "Added “x”.\nDue Friday."},
      {"actions", boost::json::array{{{"type", "task"}, {"change", "added"}, {"id", 4}}}},
      {"created_at", "2026-12-06T10:00:00.000Z"}}},
    {"awaiting", nullptr}};

struct Hop {
  std::string accept_seen;
  bh::status status = bh::status::ok;
  http::Handler handler() {
    return [this](http::RequestContext& ctx) -> http::net::awaitable<http::Response> {
      accept_seen = std::string{ctx.request[bh::field::accept]};
      http::Response res{status, 11};
      res.set(bh::field::content_type, "application/json");
      res.body() = status == bh::status::ok ? boost::json::serialize(k_answer)
                                            : R"({"error":{"code":"conversation_busy"}})";
      res.prepare_payload();
      co_return res;
    };
  }
};

http::Response run(const http::Handler& handler, std::string_view accept) {
  boost::asio::io_context ioc;
  http::Request request{bh::verb::post, "/api/chat", 11};
  if (!accept.empty()) request.set(bh::field::accept, accept);
  http::RequestContext ctx{request, {}, {}, {}, {}, "req-1", "127.0.0.1"};
  auto future = boost::asio::co_spawn(ioc, handler(ctx), boost::asio::use_future);
  ioc.run();
  return future.get();
}

TEST(ChatForwarding, AStreamIsAskedAsJsonAndSentAsTheAssistantsEvents) {
  Hop hop;
  const auto res = run(chat_over_invocation(hop.handler()), "text/event-stream");
  EXPECT_EQ(hop.accept_seen, "application/json");
  EXPECT_EQ(res[bh::field::content_type], "text/event-stream; charset=utf-8");
  const std::string expected =
      "event: conversation\ndata: {\"conversation_id\":\"c1\"}\n\n"
      "event: delta\ndata: {\"text\":\"Added “x”.\"}\n\n"
      "event: delta\ndata: {\"text\":\"\\nDue Friday.\"}\n\n"
      "event: action\ndata: {\"type\":\"task\",\"change\":\"added\",\"id\":4}\n\n"
      "event: done\ndata: " +
      boost::json::serialize(k_answer) + "\n\n";
  EXPECT_EQ(res.body(), expected);
  // No Accept at all is the stream too, as on the assistant.
  EXPECT_EQ(run(chat_over_invocation(hop.handler()), "")[bh::field::content_type],
            "text/event-stream; charset=utf-8");
}

TEST(ChatForwarding, JsonAndErrorsPassAsTheyCame) {
  Hop hop;
  const auto json = run(chat_over_invocation(hop.handler()), "application/json");
  EXPECT_EQ(json[bh::field::content_type], "application/json");
  EXPECT_EQ(json.body(), boost::json::serialize(k_answer));
  hop.status = bh::status::conflict;
  const auto busy = run(chat_over_invocation(hop.handler()), "text/event-stream");
  EXPECT_EQ(busy.result(), bh::status::conflict);
  EXPECT_EQ(busy[bh::field::content_type], "application/json");
}

}  // namespace
}  // namespace tickler::app
