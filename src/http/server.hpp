#pragma once
// The HTTP/1.1 server: an acceptor coroutine and one coroutine per connection (Beast, Asio
// awaitables), with body and header limits, read/idle timeouts and a connection cap (a failed
// accept, e.g. out of descriptors, backs off instead of spinning, and is logged at most once a
// second). A handler may stream its body (RequestContext::stream: Server-Sent Events): the server
// writes it chunked as it is produced, with back-pressure, and tells the producer when the client
// goes away. stop() closes the acceptor,
// lets in-flight requests finish (bounded by a grace period) and closes idle connections.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/pipeline.hpp"

namespace tickler::http {

struct ServerSettings;
// The body limit of a request target under `settings`.
[[nodiscard]] std::size_t body_limit_for(const ServerSettings& settings, std::string_view target);

struct ServerSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;           // 0 = any free port
  std::size_t body_limit = 64 * 1024;  // larger bodies answer 413
  // Larger limits for targets under a prefix (the sidecar's bulk deliveries to /events/).
  std::vector<std::pair<std::string, std::size_t>> body_limits_by_prefix{};
  std::chrono::seconds idle_timeout{60};  // waiting for the next request on a connection
  std::chrono::seconds read_timeout{15};  // reading one request once it started
  std::chrono::seconds write_timeout{15};
  // Connections served at once; one more is closed at once. Keeps descriptors for the store.
  int max_connections = 10'000;
  // After a failed accept (out of descriptors): wait this long before the next.
  std::chrono::milliseconds accept_backoff{50};
};

// Takes over a connection whose request asks for a protocol upgrade (WebSocket).
using UpgradeHandler = std::function<void(boost::beast::tcp_stream, Request)>;

class Server {
 public:
  Server(net::io_context& ioc, ServerSettings settings, Pipeline& pipeline);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens, then accepts in the background. Failing to bind is an error value.
  core::Status start();
  // Call before start(). Without one, upgrade requests are served as plain HTTP.
  void on_upgrade(UpgradeHandler handler) { upgrade_ = std::move(handler); }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Stops accepting and waits (at most grace) until every connection is done.
  net::awaitable<void> stop(std::chrono::milliseconds grace);

 private:
  struct Connection;
  net::awaitable<void> accept_loop();
  net::awaitable<void> session(std::shared_ptr<Connection> conn);
  // Sends the headers of `res`, then the body `body` writes (chunked); whether it all went out
  // and the connection may serve another request.
  net::awaitable<bool> send_streamed(std::shared_ptr<Connection> conn, Response& res,
                                     StreamBody& body);

  net::io_context& ioc_;
  ServerSettings settings_;
  std::size_t max_body_limit_ = 0;  // the largest limit of any target: the header parser's
  Pipeline& pipeline_;
  UpgradeHandler upgrade_;
  net::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;

  std::mutex mutex_;
  std::set<std::shared_ptr<Connection>> connections_;
  bool stopping_ = false;
};

}  // namespace tickler::http
