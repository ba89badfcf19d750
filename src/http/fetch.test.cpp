#include "http/fetch.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <mutex>
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

// A keep-alive server that answers 204 to every request, recording on which connection (counted
// from 0 in the order accepted) each request came and its X-Tickler-Delivery header.
class KeepAliveServer {
 public:
  KeepAliveServer() : acceptor_{ioc_, {net::ip::make_address("127.0.0.1"), 0}} {
    accepting_ = std::thread{[this] {
      for (int connection = 0;; ++connection) {
        boost::system::error_code ec;
        auto socket = std::make_shared<tcp::socket>(ioc_);
        acceptor_.accept(*socket, ec);
        if (ec) return;
        const std::lock_guard lock{mutex_};
        sockets_.push_back(socket);
        serving_.emplace_back([this, socket, connection] { serve(*socket, connection); });
      }
    }};
  }
  ~KeepAliveServer() {
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    accepting_.join();
    const std::lock_guard lock{mutex_};
    for (auto& s : sockets_) ::shutdown(s->native_handle(), SHUT_RDWR);
    for (auto& t : serving_) t.join();
  }
  KeepAliveServer(const KeepAliveServer&) = delete;
  KeepAliveServer& operator=(const KeepAliveServer&) = delete;

  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/hook";
  }
  // (connection, X-Tickler-Delivery) of every request so far.
  [[nodiscard]] std::vector<std::pair<int, std::string>> requests() {
    const std::lock_guard lock{mutex_};
    return requests_;
  }

 private:
  void serve(tcp::socket& socket, int connection) {
    net::streambuf buf;
    for (;;) {
      boost::system::error_code ec;
      const auto n = net::read_until(socket, buf, "\r\n\r\n", ec);
      if (ec) return;
      const std::string head(net::buffers_begin(buf.data()),
                             net::buffers_begin(buf.data()) + static_cast<std::ptrdiff_t>(n));
      buf.consume(n);
      std::string key;
      if (auto at = head.find("X-Tickler-Delivery: "); at != std::string::npos) {
        key = head.substr(at + 20, head.find("\r\n", at) - at - 20);
      }
      {
        const std::lock_guard lock{mutex_};
        requests_.emplace_back(connection, key);
      }
      const std::string answer = "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n";
      net::write(socket, net::buffer(answer), ec);
      if (ec) return;
    }
  }

  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<tcp::socket>> sockets_;
  std::vector<std::thread> serving_;
  std::vector<std::pair<int, std::string>> requests_;
  std::thread accepting_;
};

// A connection is kept between transfers, but only for transfers under a policy that allows the
// same addresses: one opened under a lenient policy never carries a request the strict policy
// refuses, nor an operator endpoint's request, and the reverse.
TEST(PostUnderPolicy, KeepsAConnectionOnlyForTransfersUnderTheSamePolicy) {
  DestinationSettings open;
  open.allow_private = true;
  KeepAliveServer server;
  const auto url = server.url();
  const auto post = [&](const std::string& key, const DestinationPolicy& policy) {
    return post_under_policy(url, "", {{"X-Tickler-Delivery", key}}, quick(), policy);
  };
  ASSERT_TRUE(post("r1", DestinationPolicy{open}));
  ASSERT_TRUE(post("r2", DestinationPolicy{open}));  // another policy object, the same addresses
  auto refused = post("r3", DestinationPolicy{});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("destination refused"), std::string::npos)
      << refused.error().message;
  ASSERT_TRUE(
      post_to_operator_endpoint(url, "", {{"X-Tickler-Delivery", "r4"}}, quick()).has_value());
  ASSERT_TRUE(post("r5", DestinationPolicy{open}));
  const std::vector<std::pair<int, std::string>> expected{
      {0, "r1"}, {0, "r2"}, {1, "r4"}, {0, "r5"}};
  EXPECT_EQ(server.requests(), expected);
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
