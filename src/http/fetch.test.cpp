#include "http/fetch.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <thread>

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

}  // namespace
}  // namespace tickler::http
