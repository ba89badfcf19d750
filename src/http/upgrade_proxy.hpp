#pragma once
// Hands an upgrade request (a WebSocket) over to another server: connects to one of the
// upstreams (round robin, the next one when a connection is refused), forwards the request as it
// came, then copies bytes both ways until either side closes. The api uses it so that /api/ws
// is served on the API's own origin while the realtime replicas hold the sockets.
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "http/types.hpp"

namespace tickler::http {

struct Upstream {
  std::string host;
  std::uint16_t port = 0;
};

// "host:port" → Upstream; nullopt when malformed.
[[nodiscard]] std::optional<Upstream> parse_upstream(std::string_view text);

class UpgradeProxy {
 public:
  explicit UpgradeProxy(std::vector<Upstream> upstreams) : upstreams_(std::move(upstreams)) {}
  [[nodiscard]] bool empty() const { return upstreams_.empty(); }
  // Takes over the connection; answers 503 when no upstream accepts it.
  void accept(boost::beast::tcp_stream stream, Request request);
  // Closes every proxied connection (at shutdown).
  void close_all();

 private:
  using Strand = net::strand<net::any_io_executor>;
  // Both sockets of one proxied connection; touched only on its strand.
  struct Link {
    net::ip::tcp::socket client;
    net::ip::tcp::socket upstream;
  };
  net::awaitable<void> run(net::ip::tcp::socket client, Request request);
  void close_on_strand(Link* link);
  std::vector<Upstream> upstreams_;
  std::atomic<std::size_t> next_{0};
  std::mutex mutex_;
  std::map<Link*, Strand> links_;
};

}  // namespace tickler::http
