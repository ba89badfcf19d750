#include "http/fetch.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <thread>
#include <vector>

namespace tickler::http {
namespace {

FetchSettings quick() {
  FetchSettings s;
  s.timeout = std::chrono::milliseconds{2000};
  return s;
}

TEST(FetchHttps, OnlyHttpsUrlsAreFetched) {
  for (const char* url : {"http://example.com/c.json", "ftp://example.com/c.json", "not a url"}) {
    auto r = fetch_https(url, {}, DestinationPolicy{});
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, core::Errc::invalid_parameter) << url;
  }
}

TEST(FetchHttps, TheAddressConnectedToIsCheckedByThePolicy) {
  // Nothing listens there, but the policy refuses before any connection is tried.
  for (const char* url : {"https://127.0.0.1:9/c.json", "https://[::1]:9/c.json",
                          "https://localhost:9/c.json", "https://169.254.169.254/latest"}) {
    auto r = fetch_https(url, quick(), DestinationPolicy{});
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, core::Errc::unavailable) << url;
    EXPECT_NE(r.error().message.find("destination refused"), std::string::npos)
        << url << ": " << r.error().message;
  }
  // Allowed, the connection is tried (and fails: nothing listens).
  DestinationSettings open;
  open.allow_private = true;
  auto tried = fetch_https("https://127.0.0.1:9/c.json", quick(), DestinationPolicy{open});
  ASSERT_FALSE(tried);
  EXPECT_EQ(tried.error().message.find("destination refused"), std::string::npos);
}

TEST(PostToOperatorEndpoint, OnlyHttpAndHttpsUrls) {
  for (const char* url : {"ftp://example.com/v1", "file:///etc/passwd", "not a url"}) {
    auto r = post_to_operator_endpoint(url, "{}", {}, quick());
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, core::Errc::invalid_parameter) << url;
  }
}

namespace net = boost::asio;
using tcp = net::ip::tcp;

// One exchange on loopback (an operator's endpoint may be local): the request as received.
TEST(PostToOperatorEndpoint, PostsTheBodyAndHeadersToALoopbackEndpoint) {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), 0}};
  const auto port = acceptor.local_endpoint().port();
  std::string received;
  std::thread server{[&] {
    auto socket = acceptor.accept();
    net::streambuf buf;
    net::read_until(socket, buf, "\r\n\r\n");
    std::string head{net::buffers_begin(buf.data()), net::buffers_end(buf.data())};
    while (head.find("{\"x\":1}") == std::string::npos) {
      net::read(socket, buf, net::transfer_at_least(1));
      head.assign(net::buffers_begin(buf.data()), net::buffers_end(buf.data()));
    }
    received = head;
    const std::string answer =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
    net::write(socket, net::buffer(answer));
  }};
  auto r = post_to_operator_endpoint(
      "http://127.0.0.1:" + std::to_string(port) + "/v1/chat/completions", "{\"x\":1}",
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer k"}}, quick());
  server.join();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 503u);
  EXPECT_EQ(r->body, "{}");
  EXPECT_EQ(received.rfind("POST /v1/chat/completions HTTP/1.1\r\n", 0), 0u) << received;
  EXPECT_NE(received.find("Authorization: Bearer k\r\n"), std::string::npos) << received;
  EXPECT_NE(received.find("Content-Type: application/json\r\n"), std::string::npos);
}

TEST(PostToOperatorEndpoint, AnEndpointThatNeverAnswersTimesOut) {
  net::io_context ioc;
  // Listening but never accepting: the connection completes, no answer comes.
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), 0}};
  FetchSettings s;
  s.timeout = std::chrono::milliseconds{300};
  auto r = post_to_operator_endpoint(
      "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/v1", "{}", {}, s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::unavailable);
  EXPECT_EQ(r.error().code_name, "timeout") << r.error().message;
}

// A user's URL: refused where the policy refuses the address, posted (IPv4 and IPv6) where it
// allows it.
TEST(PostUnderPolicy, RefusedAddressesAreNeverConnectedTo) {
  for (const char* url : {"http://127.0.0.1:9/hook", "https://[::1]:9/hook",
                          "http://localhost:9/hook", "http://169.254.169.254/latest"}) {
    auto r = post_under_policy(url, "{}", {}, quick(), DestinationPolicy{});
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, core::Errc::unavailable) << url;
    EXPECT_NE(r.error().message.find("destination refused"), std::string::npos)
        << url << ": " << r.error().message;
  }
  auto ftp = post_under_policy("ftp://example.com/x", "{}", {}, quick(), DestinationPolicy{});
  ASSERT_FALSE(ftp);
  EXPECT_EQ(ftp.error().code, core::Errc::invalid_parameter);
}

TEST(PostUnderPolicy, PostsToAnAllowedAddressOverIpv4AndIpv6) {
  DestinationSettings open;
  open.allow_private = true;
  for (const char* host : {"127.0.0.1", "::1"}) {
    net::io_context ioc;
    boost::system::error_code ec;
    tcp::acceptor acceptor{ioc};
    const tcp::endpoint at{net::ip::make_address(host), 0};
    acceptor.open(at.protocol(), ec);
    if (!ec) acceptor.bind(at, ec);
    if (ec) GTEST_SKIP() << host << " is not available here: " << ec.message();
    acceptor.listen();
    const auto port = acceptor.local_endpoint().port();
    std::string received;
    std::thread server{[&] {
      auto socket = acceptor.accept();
      net::streambuf buf;
      std::string head;
      while (head.find("{\"y\":2}") == std::string::npos) {
        net::read(socket, buf, net::transfer_at_least(1));
        head.assign(net::buffers_begin(buf.data()), net::buffers_end(buf.data()));
      }
      received = head;
      const std::string answer = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
      net::write(socket, net::buffer(answer));
    }};
    const std::string authority =
        std::string{host}.find(':') == std::string::npos ? host : "[" + std::string{host} + "]";
    auto r =
        post_under_policy("http://" + authority + ":" + std::to_string(port) + "/hook", "{\"y\":2}",
                          {{"X-Tickler-Delivery", "r1"}}, quick(), DestinationPolicy{open});
    server.join();
    ASSERT_TRUE(r) << host << ": " << r.error().message;
    EXPECT_EQ(r->status, 204u);
    EXPECT_EQ(received.rfind("POST /hook HTTP/1.1\r\n", 0), 0u) << received;
    EXPECT_NE(received.find("X-Tickler-Delivery: r1\r\n"), std::string::npos) << received;
  }
}

// The thread's handle is reused (its TLS sessions and CA store kept), its connections are not: a
// server that keeps the connection open still sees the next transfer connect anew, so a policy
// that refuses the address refuses it, and nothing of the last transfer's request is sent again.
TEST(PostUnderPolicy, EveryTransferConnectsAnewUnderItsPolicy) {
  DestinationSettings open;
  open.allow_private = true;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc, tcp::endpoint{net::ip::make_address("127.0.0.1"), 0}};
  const auto port = acceptor.local_endpoint().port();
  std::vector<std::string> requests;  // one per connection: what arrived on it
  std::thread server{[&] {
    for (int connection = 0; connection < 2; ++connection) {
      boost::system::error_code ec;
      tcp::socket socket{ioc};
      acceptor.accept(socket, ec);
      if (ec) return;  // shut down: the client did not connect again
      net::streambuf buf;
      net::read_until(socket, buf, "\r\n\r\n", ec);
      requests.emplace_back(net::buffers_begin(buf.data()), net::buffers_end(buf.data()));
      const std::string answer = "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n";
      net::write(socket, net::buffer(answer));
      // Kept open: a client that reused it would send its next request here (waited for 3 s at
      // most: such a client fails the test rather than hang it).
      pollfd readable{socket.native_handle(), POLLIN, 0};
      if (::poll(&readable, 1, 3000) > 0) net::read(socket, buf, net::transfer_at_least(1), ec);
    }
  }};
  const auto url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  auto first =
      post_under_policy(url, "", {{"X-Tickler-Delivery", "r1"}}, quick(), DestinationPolicy{open});
  ASSERT_TRUE(first) << first.error().message;
  auto refused = post_under_policy(url, "", {}, quick(), DestinationPolicy{});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("destination refused"), std::string::npos)
      << refused.error().message;
  auto again = post_under_policy(url, "", {}, quick(), DestinationPolicy{open});
  ::shutdown(acceptor.native_handle(), SHUT_RDWR);  // wakes an accept nobody answers
  server.join();
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].find("X-Tickler-Delivery: r1\r\n"), std::string::npos) << requests[0];
  EXPECT_EQ(requests[1].find("X-Tickler-Delivery"), std::string::npos) << requests[1];
}

// A streamed answer: each piece is handed on as it arrives, before the answer ends.
TEST(PostStreamToOperatorEndpoint, PiecesArriveBeforeTheAnswerEnds) {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), 0}};
  const auto port = acceptor.local_endpoint().port();
  std::atomic<bool> first_seen{false};
  bool first_before_second = false;
  std::thread server{[&] {
    auto socket = acceptor.accept();
    net::streambuf buf;
    net::read_until(socket, buf, "\r\n\r\n");
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
    net::write(socket, net::buffer(head + "data: one\n\n"));
    for (int i = 0; i < 200 && !first_seen; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    first_before_second = first_seen;
    net::write(socket, net::buffer(std::string{"data: two\n\n"}));
  }};
  std::string pieces;
  unsigned seen_status = 0;
  std::string seen_type;
  const FetchPiece on_piece = [&](unsigned status, std::string_view type, std::string_view piece) {
    seen_status = status;
    seen_type = type;
    pieces += piece;
    if (pieces.find("one") != std::string::npos) first_seen = true;
    return true;
  };
  const std::function<bool()> stop = [] { return false; };
  auto r = post_stream_to_operator_endpoint("http://127.0.0.1:" + std::to_string(port) + "/v1",
                                            "{}", {}, quick(), on_piece, stop);
  server.join();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(first_before_second);
  EXPECT_EQ(seen_status, 200u);
  EXPECT_EQ(seen_type, "text/event-stream");
  EXPECT_EQ(pieces, "data: one\n\ndata: two\n\n");
  EXPECT_EQ(r->body, pieces);
}

// `stop` ends a transfer even while nothing arrives (the caller went away).
TEST(PostStreamToOperatorEndpoint, StopEndsASilentTransfer) {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), 0}};
  FetchSettings s;
  s.timeout = std::chrono::milliseconds{20'000};
  const auto started = std::chrono::steady_clock::now();
  const FetchPiece on_piece = [](unsigned, std::string_view, std::string_view) { return true; };
  const std::function<bool()> stop = [&] {
    return std::chrono::steady_clock::now() - started > std::chrono::milliseconds{200};
  };
  auto r = post_stream_to_operator_endpoint(
      "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/v1", "{}", {}, s,
      on_piece, stop);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code_name, "cancelled") << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{3});
}

}  // namespace
}  // namespace tickler::http
