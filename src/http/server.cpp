#include "http/server.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "base/log.hpp"
#include "http/response.hpp"

namespace tickler::http {

namespace beast = boost::beast;
using tcp = net::ip::tcp;
constexpr auto k_tuple = net::as_tuple(net::use_awaitable);

namespace {
core::Error too_large(std::size_t limit) {
  return core::make_error(core::Errc::payload_too_large,
                          "request body exceeds " + std::to_string(limit / 1024) + " KiB");
}

// A streamed body on the connection: each piece one chunk (HTTP/1.1), or written as it is until
// the connection closes (HTTP/1.0), each write bounded by the write timeout.
class ConnectionWriter final : public StreamWriter {
 public:
  ConnectionWriter(beast::tcp_stream& stream, std::chrono::seconds timeout, bool chunked)
      : stream_(stream), timeout_(timeout), chunked_(chunked) {}

  net::awaitable<bool> write(std::string piece) override {
    if (gone_->load()) co_return false;
    if (piece.empty()) co_return true;
    stream_.expires_after(timeout_);
    boost::system::error_code ec;
    if (chunked_) {
      const auto chunk = beast_http::make_chunk(net::buffer(piece));
      auto [wec, n] = co_await net::async_write(stream_, chunk, k_tuple);
      ec = wec;
    } else {
      auto [wec, n] = co_await net::async_write(stream_, net::buffer(piece), k_tuple);
      ec = wec;
    }
    if (ec) gone_->store(true);
    co_return !ec;
  }
  [[nodiscard]] std::shared_ptr<const std::atomic<bool>> gone() const override { return gone_; }
  [[nodiscard]] const std::shared_ptr<std::atomic<bool>>& gone_flag() const { return gone_; }

 private:
  beast::tcp_stream& stream_;
  std::chrono::seconds timeout_;
  bool chunked_;
  std::shared_ptr<std::atomic<bool>> gone_ = std::make_shared<std::atomic<bool>>(false);
};

// While a body is being produced, notices a client that closes the connection (readable with
// nothing to read), or the server's stop cancelling it, and says so through `gone`. Ends when
// `done` is set and the socket's operations are cancelled.
net::awaitable<void> watch_for_close(std::shared_ptr<void> owner, tcp::socket& socket,
                                     std::shared_ptr<std::atomic<bool>> gone,
                                     std::shared_ptr<bool> done) {
  auto [ec] = co_await socket.async_wait(tcp::socket::wait_read, k_tuple);
  if (*done) co_return;
  if (ec) {
    gone->store(true);  // the server is stopping
    co_return;
  }
  char byte = 0;
  boost::system::error_code rec;
  const auto n = socket.receive(net::buffer(&byte, 1), tcp::socket::message_peek, rec);
  if (rec || n == 0) gone->store(true);  // closed; more bytes (a pipelined request) are not
  (void)owner;
}

}  // namespace

struct Server::Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool busy = false;  // guarded by Server::mutex_
};

std::size_t body_limit_for(const ServerSettings& settings, std::string_view target) {
  for (const auto& [prefix, limit] : settings.body_limits_by_prefix) {
    if (target.starts_with(prefix)) return limit;
  }
  return settings.body_limit;
}

Server::Server(net::io_context& ioc, ServerSettings settings, Pipeline& pipeline)
    : ioc_(ioc), settings_(std::move(settings)), pipeline_(pipeline), acceptor_(ioc) {
  max_body_limit_ = settings_.body_limit;
  for (const auto& [prefix, limit] : settings_.body_limits_by_prefix) {
    max_body_limit_ = std::max(max_body_limit_, limit);
  }
}

core::Status Server::start() {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(settings_.host, ec);
  if (ec) {
    return core::make_error(core::Errc::internal, "bad listen address '" + settings_.host + "'");
  }
  const tcp::endpoint endpoint{address, settings_.port};
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::make_error(core::Errc::unavailable, "cannot listen on " + settings_.host + ":" +
                                                         std::to_string(settings_.port) + ": " +
                                                         ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  net::co_spawn(acceptor_.get_executor(), accept_loop(), net::detached);
  return {};
}

net::awaitable<void> Server::accept_loop() {
  net::steady_timer backoff{acceptor_.get_executor()};
  // Warnings of one kind at most once a second, with how many were left out.
  auto last_warning = std::chrono::steady_clock::time_point{};
  std::uint64_t unlogged = 0;
  const auto warn = [&](std::string_view message, std::string error) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_warning < std::chrono::seconds{1}) {
      ++unlogged;
      return;
    }
    base::log_json(spdlog::level::warn, message,
                   {{"error", std::move(error)},
                    {"max_connections", settings_.max_connections},
                    {"since_last_warning", static_cast<std::int64_t>(unlogged)}});
    last_warning = now;
    unlogged = 0;
  };
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(net::make_strand(ioc_), k_tuple);
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // Out of descriptors (EMFILE/ENFILE) or memory: the pending connection stays in the
      // backlog, so accepting again at once would fail again at once.
      warn("accept failed", ec.message());
      backoff.expires_after(settings_.accept_backoff);
      co_await backoff.async_wait(k_tuple);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Connection>(std::move(socket));
    bool over_cap = false;
    {
      std::lock_guard lock{mutex_};
      if (stopping_) co_return;
      over_cap = static_cast<int>(connections_.size()) >= settings_.max_connections;
      if (!over_cap) connections_.insert(conn);
    }
    if (over_cap) {
      conn->stream.socket().close(ec);
      warn("connection refused: too many connections", "over max_connections");
      continue;
    }
    auto ex = conn->stream.get_executor();
    net::co_spawn(ex, session(std::move(conn)), net::detached);
  }
}

net::awaitable<void> Server::session(std::shared_ptr<Connection> conn) {
  auto& stream = conn->stream;
  beast::flat_buffer buffer;
  boost::system::error_code peer_ec;
  const auto peer = stream.socket().remote_endpoint(peer_ec);
  const std::string remote = peer_ec ? "" : peer.address().to_string();

  bool unread_body = false;  // a refused body may still be arriving
  bool upgraded = false;     // the stream was handed to the upgrade handler
  for (;;) {
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(max_body_limit_);

    stream.expires_after(settings_.idle_timeout);
    auto [hec, hn] = co_await beast_http::async_read_header(stream, buffer, parser, k_tuple);
    std::size_t limit = settings_.body_limit;
    if (!hec) {
      // The target's own limit; a declared Content-Length over it is refused before the body.
      limit = body_limit_for(settings_, parser.get().target());
      const auto declared = parser.content_length();
      if (declared && *declared > limit) hec = beast_http::error::body_limit;
      parser.body_limit(limit);
    }
    if (hec) {
      if (hec == beast_http::error::body_limit) {
        // The declared Content-Length is over the limit: refuse before reading the body.
        Response res = error_response(too_large(limit));
        pipeline_.finish(&parser.get(), res, request_id_for(""));
        res.keep_alive(false);
        stream.expires_after(settings_.write_timeout);
        co_await beast_http::async_write(stream, res, k_tuple);
        unread_body = true;
      } else if (hec == beast_http::error::header_limit) {
        Response res = error_response(
            core::make_error(core::Errc::payload_too_large, "request headers exceed 16 KiB"));
        pipeline_.finish(nullptr, res, request_id_for(""));
        res.keep_alive(false);
        stream.expires_after(settings_.write_timeout);
        co_await beast_http::async_write(stream, res, k_tuple);
      } else if (hec != beast_http::error::end_of_stream && hec != net::error::operation_aborted &&
                 hec != beast::error::timeout && hec != net::error::eof &&
                 hec != net::error::connection_reset) {
        Response res = error_response(
            core::make_error(core::Errc::invalid_parameter, "malformed HTTP request"));
        pipeline_.finish(nullptr, res, request_id_for(""));
        res.keep_alive(false);
        stream.expires_after(settings_.write_timeout);
        co_await beast_http::async_write(stream, res, k_tuple);
      }
      break;
    }
    {
      std::lock_guard lock{mutex_};
      conn->busy = true;
    }
    Response res;
    bool have_response = false;
    stream.expires_after(settings_.read_timeout);
    auto [bec, bn] = co_await beast_http::async_read(stream, buffer, parser, k_tuple);
    if (bec == beast_http::error::body_limit) {
      res = error_response(too_large(limit));
      pipeline_.finish(&parser.get(), res, request_id_for(""));
      res.keep_alive(false);
      unread_body = true;
      have_response = true;
    } else if (bec) {
      break;
    }
    if (!have_response && upgrade_ && boost::beast::websocket::is_upgrade(parser.get())) {
      // The connection now belongs to the upgrade handler (and no longer to this server's
      // graceful stop: the handler's owner closes it).
      upgraded = true;
      upgrade_(std::move(stream), parser.release());
      break;
    }
    StreamBody body;
    if (!have_response) {
      auto& req = parser.get();
      res = co_await pipeline_.handle(req, remote, &body);
      res.version(req.version());
      res.keep_alive(req.keep_alive());
    }
    if (body) {
      // The connection stays busy until the body is written (a graceful stop waits for it).
      const bool whole = co_await send_streamed(conn, res, body);
      bool stopping = false;
      {
        std::lock_guard lock{mutex_};
        conn->busy = false;
        stopping = stopping_;
      }
      if (!whole || stopping || !res.keep_alive()) break;
      continue;
    }
    bool stopping = false;
    {
      std::lock_guard lock{mutex_};
      conn->busy = false;
      stopping = stopping_;
    }
    if (stopping) res.keep_alive(false);
    stream.expires_after(settings_.write_timeout);
    auto [wec, wn] = co_await beast_http::async_write(stream, res, k_tuple);
    if (wec || !res.keep_alive()) break;
  }
  if (upgraded) {
    std::lock_guard lock{mutex_};
    connections_.erase(conn);
    co_return;
  }
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (unread_body) {
    // Closing with unread input makes the kernel send RST, and the client may lose our 413.
    // Drain (bounded) until the client closes its side.
    std::array<char, 16 * 1024> sink{};
    std::size_t drained = 0;
    stream.expires_after(std::chrono::seconds{2});
    while (drained < 4 * 1024 * 1024) {
      auto [rec, n] = co_await stream.async_read_some(net::buffer(sink), k_tuple);
      if (rec) break;
      drained += n;
    }
  }
  stream.close();
  std::lock_guard lock{mutex_};
  connections_.erase(conn);
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224, as in the assistant's service).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
net::awaitable<bool> Server::send_streamed(std::shared_ptr<Connection> conn, Response& res,
                                           StreamBody& body) {
  auto& stream = conn->stream;
  const bool chunked = res.version() >= 11;
  res.body().clear();
  if (chunked) {
    res.chunked(true);
  } else {
    res.keep_alive(false);  // HTTP/1.0: the body ends when the connection closes
    res.erase(beast_http::field::content_length);
  }
  {
    std::lock_guard lock{mutex_};
    if (stopping_) res.keep_alive(false);
  }
  beast_http::response_serializer<beast_http::string_body> head{res};
  stream.expires_after(settings_.write_timeout);
  auto [hec, hn] = co_await beast_http::async_write_header(stream, head, k_tuple);
  if (hec) co_return false;
  ConnectionWriter writer{stream, settings_.write_timeout, chunked};
  auto done = std::make_shared<bool>(false);
  net::co_spawn(stream.get_executor(),
                watch_for_close(conn, stream.socket(), writer.gone_flag(), done), net::detached);
  bool failed = false;
  std::string what;
  try {
    co_await body(writer);
  } catch (const std::exception& e) {
    failed = true;
    what = e.what();
  }
  if (failed) {
    base::log_json(spdlog::level::err, "streamed body failed", {{"error", what}});
  }
  *done = true;
  boost::system::error_code ec;
  stream.socket().cancel(ec);  // ends the watch
  if (failed || writer.gone()->load()) co_return false;
  if (!chunked) co_return false;
  stream.expires_after(settings_.write_timeout);
  const auto last = beast_http::make_chunk_last();
  auto [lec, ln] = co_await net::async_write(stream, last, k_tuple);
  co_return !lec;
}
#pragma GCC diagnostic pop

net::awaitable<void> Server::stop(std::chrono::milliseconds grace) {
  boost::system::error_code ec;
  acceptor_.close(ec);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  net::steady_timer timer{co_await net::this_coro::executor};
  for (;;) {
    std::vector<std::shared_ptr<Connection>> to_close;
    {
      std::lock_guard lock{mutex_};
      stopping_ = true;
      if (connections_.empty()) break;
      const bool late = std::chrono::steady_clock::now() >= deadline;
      for (const auto& c : connections_) {
        if (!c->busy || late) to_close.push_back(c);
      }
    }
    for (auto& c : to_close) {
      // Cancel on the connection's own strand; its coroutine then ends and unregisters.
      net::post(c->stream.get_executor(), [c] { c->stream.cancel(); });
    }
    timer.expires_after(std::chrono::milliseconds{20});
    co_await timer.async_wait(k_tuple);
  }
}

}  // namespace tickler::http
