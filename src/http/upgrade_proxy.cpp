#include "http/upgrade_proxy.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
#include <charconv>

#include "base/log.hpp"
#include "http/response.hpp"

namespace tickler::http {
namespace {

namespace beast = boost::beast;
using net::ip::tcp;
constexpr auto k_tuple = net::as_tuple(net::use_awaitable);

// Copies from one socket to the other until EOF or an error, then shuts the other's sending side.
net::awaitable<void> pump(tcp::socket& from, tcp::socket& to) {
  std::array<char, 16 * 1024> buffer{};
  for (;;) {
    auto [rec, n] = co_await from.async_read_some(net::buffer(buffer), k_tuple);
    if (n > 0) {
      auto [wec, w] = co_await net::async_write(to, net::buffer(buffer.data(), n), k_tuple);
      if (wec) break;
    }
    if (rec) break;
  }
  boost::system::error_code ignored;
  to.shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace

std::optional<Upstream> parse_upstream(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  unsigned port = 0;
  const auto digits = text.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return Upstream{std::string{text.substr(0, colon)}, static_cast<std::uint16_t>(port)};
}

void UpgradeProxy::accept(beast::tcp_stream stream, Request request) {
  // One strand per connection: the two pumps and close_all() never touch its sockets at once.
  auto strand = net::make_strand(stream.get_executor());
  net::co_spawn(strand, run(stream.release_socket(), std::move(request)), net::detached);
}

void UpgradeProxy::close_all() {
  std::lock_guard lock{mutex_};
  for (auto& [link, strand] : links_) {
    net::post(strand, std::bind_front(&UpgradeProxy::close_on_strand, this, link));
  }
}

void UpgradeProxy::close_on_strand(Link* link) {
  {
    std::lock_guard lock{mutex_};
    if (!links_.contains(link)) return;  // ended meanwhile
  }
  boost::system::error_code ignored;
  link->client.close(ignored);
  link->upstream.close(ignored);
}

net::awaitable<void> UpgradeProxy::run(tcp::socket client, Request request) {
  auto ex = co_await net::this_coro::executor;
  Link link{std::move(client), tcp::socket{ex}};
  bool connected = false;
  for (std::size_t tries = 0; tries < upstreams_.size() && !connected; ++tries) {
    const auto& u = upstreams_[next_++ % upstreams_.size()];
    boost::system::error_code ec;
    const auto address = net::ip::make_address(u.host, ec);
    if (ec) continue;
    auto [cec] = co_await link.upstream.async_connect({address, u.port}, k_tuple);
    if (!cec) {
      connected = true;
    } else {
      boost::system::error_code ignored;
      link.upstream.close(ignored);
    }
  }
  if (!connected) {
    base::log_json(spdlog::level::warn, "no realtime upstream accepted a WebSocket");
    auto res = error_response(
        core::make_error(core::Errc::unavailable, "the real-time service is not reachable"));
    res.keep_alive(false);
    co_await beast::http::async_write(link.client, res, k_tuple);
    co_return;
  }
  auto [wec, wn] = co_await beast::http::async_write(link.upstream, request, k_tuple);
  if (wec) co_return;
  {
    std::lock_guard lock{mutex_};
    links_.emplace(&link, Strand{ex});
  }
  using namespace net::experimental::awaitable_operators;
  co_await (pump(link.client, link.upstream) && pump(link.upstream, link.client));
  std::lock_guard lock{mutex_};
  links_.erase(&link);
}

}  // namespace tickler::http
