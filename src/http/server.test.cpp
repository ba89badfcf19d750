#include "http/server.hpp"

#include <gtest/gtest.h>

namespace tickler::http {
namespace {

TEST(BodyLimit, TheFirstMatchingPrefixGivesTheLimitOtherwiseTheDefault) {
  ServerSettings s;
  s.body_limit = 64 * 1024;
  s.body_limits_by_prefix = {{"/events/", 4 * 1024 * 1024}, {"/events/small/", 1}};
  EXPECT_EQ(body_limit_for(s, "/events/task-events/auditor"), 4u * 1024 * 1024);
  EXPECT_EQ(body_limit_for(s, "/events/small/x"), 4u * 1024 * 1024);
  EXPECT_EQ(body_limit_for(s, "/api/tasks"), 64u * 1024);
  EXPECT_EQ(body_limit_for(s, "/event"), 64u * 1024);
  EXPECT_EQ(body_limit_for(ServerSettings{}, "/events/x/y"), 64u * 1024);
}

}  // namespace
}  // namespace tickler::http

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <thread>

namespace tickler::http {
namespace {

using namespace std::chrono_literals;
using tcp = net::ip::tcp;

// A server with one route whose body is streamed: "one", then (when the test says so) "two";
// what the producer saw of its reader.
class StreamedBody : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(beast_http::verb::get, "/stream", Access::open,
                std::bind_front(&StreamedBody::handle, this));
    ServerSettings settings;
    settings.port = 0;
    server_ = std::make_unique<Server>(ioc_, settings, pipeline_);
    ASSERT_TRUE(server_->start());
    thread_ = std::thread([this] { ioc_.run(); });
  }
  void TearDown() override {
    net::co_spawn(ioc_, server_->stop(200ms), net::use_future).get();
    ioc_.stop();
    thread_.join();
  }

  net::awaitable<Response> handle(RequestContext& ctx) {
    if (ctx.stream) *ctx.stream = std::bind_front(&StreamedBody::produce, this);
    Response res{beast_http::status::ok, 11};
    res.set(beast_http::field::content_type, "text/event-stream");
    co_return res;
  }
  net::awaitable<void> produce(StreamWriter& writer) {
    co_await writer.write("one");
    net::steady_timer tick{co_await net::this_coro::executor};
    for (int i = 0; i < 500 && !go_ && !writer.gone()->load(); ++i) {
      tick.expires_after(10ms);
      co_await tick.async_wait(net::use_awaitable);
    }
    saw_gone_ = writer.gone()->load();
    gone_at_ = std::chrono::steady_clock::now();
    if (!saw_gone_) co_await writer.write("two");
    finished_ = true;
  }

  // Connects and sends the request; reads until `until` is in what arrived (or 3 s pass).
  tcp::socket request() {
    tcp::socket socket{client_ioc_};
    socket.connect({net::ip::make_address("127.0.0.1"), server_->port()});
    net::write(socket, net::buffer(std::string{"GET /stream HTTP/1.1\r\nHost: t\r\n\r\n"}));
    return socket;
  }
  static std::string read_until(tcp::socket& socket, std::string& got, std::string_view until) {
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (got.find(until) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      if (socket.available() == 0) {
        std::this_thread::sleep_for(5ms);
        continue;
      }
      std::array<char, 4096> buf{};
      got.append(buf.data(), socket.read_some(net::buffer(buf)));
    }
    return got;
  }

  static net::awaitable<core::Result<Principal>> nobody(std::string_view /*token*/) {
    co_return core::make_error(core::Errc::unauthorized, "no");
  }

  net::io_context ioc_;
  net::io_context client_ioc_;
  Router router_;
  Metrics metrics_;
  Pipeline pipeline_{PipelineSettings{}, router_, metrics_, &StreamedBody::nobody};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> go_{false};
  std::atomic<bool> saw_gone_{false};
  std::atomic<bool> finished_{false};
  std::atomic<std::chrono::steady_clock::time_point> gone_at_{};
};

TEST_F(StreamedBody, EachPieceReachesTheClientAsItIsWrittenChunked) {
  auto socket = request();
  std::string got;
  read_until(socket, got, "one\r\n");
  EXPECT_NE(got.find("HTTP/1.1 200 OK"), std::string::npos) << got;
  EXPECT_NE(got.find("Transfer-Encoding: chunked"), std::string::npos) << got;
  EXPECT_NE(got.find("3\r\none\r\n"), std::string::npos) << got;
  EXPECT_EQ(got.find("two"), std::string::npos) << got;  // not produced yet
  go_ = true;
  read_until(socket, got, "0\r\n\r\n");
  EXPECT_NE(got.find("3\r\ntwo\r\n0\r\n\r\n"), std::string::npos) << got;
  EXPECT_FALSE(saw_gone_);
}

TEST_F(StreamedBody, AClientThatClosesIsNoticedWhileNothingIsWritten) {
  auto socket = request();
  std::string got;
  read_until(socket, got, "one\r\n");
  ASSERT_NE(got.find("one"), std::string::npos);
  const auto closed = std::chrono::steady_clock::now();
  socket.close();
  for (int i = 0; i < 300 && !finished_; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(finished_);
  EXPECT_TRUE(saw_gone_);
  EXPECT_LT(gone_at_.load() - closed, 1s);
}

}  // namespace
}  // namespace tickler::http
