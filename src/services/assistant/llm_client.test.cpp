// LlmClient against a loopback server that streams its answer: the pieces reach the turn as they
// arrive, on the turn's executor, and the message is joined whole; a reader that goes away stops
// the transfer.
#include "services/assistant/llm_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <thread>

namespace tickler::services::assistant {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

std::string chunk(std::string_view delta, std::string_view finish = "null") {
  return "data: {\"choices\":[{\"index\":0,\"delta\":" + std::string{delta} +
         ",\"finish_reason\":" + std::string{finish} + "}]}\n\n";
}

// What the turn's reader got; it may leave after the first piece.
class Reader final : public ReplyStream {
 public:
  net::awaitable<void> text(std::string piece) override {
    pieces.push_back(std::move(piece));
    if (leave) gone_->store(true);
    co_return;
  }
  [[nodiscard]] std::shared_ptr<const std::atomic<bool>> gone() const override { return gone_; }
  std::vector<std::string> pieces;
  bool leave = false;
  std::shared_ptr<std::atomic<bool>> gone_ = std::make_shared<std::atomic<bool>>(false);
};

// Answers one request with the head, then each of `pieces` `gap` apart (stopping once the
// client is gone); how many pieces it sent.
struct StreamingEndpoint {
  explicit StreamingEndpoint(std::vector<std::string> pieces, std::chrono::milliseconds gap)
      : acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0}) {
    thread = std::thread([this, pieces = std::move(pieces), gap] {
      auto socket = acceptor.accept();
      net::streambuf buf;
      net::read_until(socket, buf, "\r\n\r\n");
      boost::system::error_code ec;
      net::write(socket,
                 net::buffer(std::string{"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                         "Connection: close\r\n\r\n"}),
                 ec);
      for (const auto& p : pieces) {
        if (ec) break;
        std::this_thread::sleep_for(gap);
        net::write(socket, net::buffer(p), ec);
        if (!ec) ++sent;
      }
    });
  }
  ~StreamingEndpoint() { thread.join(); }
  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/v1";
  }
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::thread thread;
  std::atomic<int> sent{0};
};

core::Result<ModelMessage> ask(LlmClient& client, Reader& reader) {
  net::io_context ioc;
  const std::string request = "{}";  // lives until the awaitable ends
  auto done = net::co_spawn(ioc, client.stream(request, 5000ms, &reader), net::use_future);
  ioc.run();
  return done.get();
}

TEST(LlmClientStream, PiecesReachTheTurnAndTheMessageIsJoined) {
  StreamingEndpoint endpoint{
      {chunk(R"({"content":"Hel"})"), chunk(R"({"content":"lo"})"),
       chunk(
           R"({"tool_calls":[{"index":0,"id":"c","function":{"name":"list_tags","arguments":"{"}}]})"),
       chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"}"}}]})"),
       chunk("{}", "\"tool_calls\"") + "data: [DONE]\n\n"},
      5ms};
  LlmSettings settings;
  settings.url = endpoint.url();
  LlmClient client{settings};
  Reader reader;
  auto m = ask(client, reader);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(reader.pieces, (std::vector<std::string>{"Hel", "lo"}));
  EXPECT_EQ(m->content, "Hello");
  ASSERT_EQ(m->tool_calls.size(), 1u);
  EXPECT_EQ(m->tool_calls[0].name, "list_tags");
  EXPECT_EQ(m->tool_calls[0].arguments, "{}");
}

TEST(LlmClientStream, AReaderThatGoesAwayStopsTheTransfer) {
  std::vector<std::string> pieces;
  for (int i = 0; i < 40; ++i) pieces.push_back(chunk(R"({"content":"x"})"));
  StreamingEndpoint endpoint{pieces, 25ms};
  LlmSettings settings;
  settings.url = endpoint.url();
  LlmClient client{settings};
  Reader reader;
  reader.leave = true;
  const auto started = std::chrono::steady_clock::now();
  auto m = ask(client, reader);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code_name, "cancelled") << m.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);  // not the 1 s of all 40
}

}  // namespace
}  // namespace tickler::services::assistant
