#include "services/realtime/ws_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

namespace tickler::services::realtime {

namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
constexpr auto k_tuple = net::as_tuple(net::use_awaitable);

net::awaitable<void> WsSession::run(http::Request request, core::UserId user,
                                    std::optional<std::int64_t> since, std::string epoch,
                                    std::string request_id, SessionToken token,
                                    StillAccepted still_accepted) {
  auto self = shared_from_this();
  token_generation_ = token.generation;
  boost::beast::get_lowest_layer(ws_).expires_never();
  // Heartbeat: after 15 s of silence the server pings; no answer within another 15 s closes.
  auto timeouts = websocket::stream_base::timeout::suggested(boost::beast::role_type::server);
  timeouts.idle_timeout = std::chrono::seconds{30};
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.read_message_max(64 * 1024);
  ws_.set_option(websocket::stream_base::decorator([request_id](websocket::response_type& res) {
    res.set(boost::beast::http::field::server, "tickler");
    res.set("X-Request-Id", request_id);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "no-referrer");
    res.set(boost::beast::http::field::cache_control, "no-store");
  }));
  auto [aec] = co_await ws_.async_accept(request, k_tuple);
  if (aec) co_return;
  if (token.expires_at) {
    // Set here, not in the spawned coroutine, so the cancel below finds the wait however the two
    // are ordered; ended_ covers a wait that starts after the session ended.
    const auto left = std::max(*token.expires_at - core::now(), core::Instant::duration::zero());
    expiry_.emplace(ws_.get_executor(),
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(left));
    net::co_spawn(ws_.get_executor(), close_at_expiry(), net::detached);
  }
  if (still_accepted) {
    recheck_.emplace(ws_.get_executor());
    net::co_spawn(ws_.get_executor(), recheck_loop(std::move(still_accepted)), net::detached);
  }
  hub_.join(user, self, since, epoch);
  boost::beast::flat_buffer buffer;
  for (;;) {
    // Clients have nothing to say; reading keeps pings, pongs and the close handshake flowing.
    auto [rec, n] = co_await ws_.async_read(buffer, k_tuple);
    if (rec) break;
    buffer.consume(buffer.size());
  }
  hub_.leave(user, self);
  ended_ = true;
  if (expiry_) expiry_->cancel();
  if (recheck_) recheck_->cancel();
}

net::awaitable<void> WsSession::close_at_expiry() {
  auto self = shared_from_this();
  if (ended_) co_return;
  auto [ec] = co_await expiry_->async_wait(k_tuple);
  if (!ec && !ended_) close_with(k_close_token_invalid, "token expired");
}

net::awaitable<void> WsSession::recheck_loop(StillAccepted ask) {
  auto self = shared_from_this();
  while (!ended_ && !closing_) {
    recheck_->expires_after(settings_.recheck_every);
    auto [ec] = co_await recheck_->async_wait(k_tuple);
    if (ec || ended_ || closing_) co_return;
    const bool accepted = co_await ask();
    if (!accepted && !ended_) {
      close_with(k_close_token_invalid, "token revoked");
      co_return;
    }
  }
}

void WsSession::revoke(std::int64_t generation) {
  net::post(ws_.get_executor(), [self = shared_from_this(), generation] {
    if (self->token_generation_ < generation) {
      self->close_with(k_close_token_invalid, "token revoked");
    }
  });
}

void WsSession::send(std::shared_ptr<const std::string> message) {
  net::post(
      ws_.get_executor(), [self = shared_from_this(), message = std::move(message)]() mutable {
        if (self->closing_) return;
        if (self->queue_.size() >= self->settings_.max_queued_messages ||
            self->queued_bytes_ + message->size() > self->settings_.max_queued_bytes) {
          self->close_with(k_close_slow_consumer, "send queue full: the client reads too slowly");
          return;
        }
        self->queued_bytes_ += message->size();
        self->queue_.push_back(std::move(message));
        if (!self->writing_) {
          self->writing_ = true;
          net::co_spawn(self->ws_.get_executor(), self->write_loop(), net::detached);
        }
      });
}

net::awaitable<void> WsSession::write_loop() {
  auto self = shared_from_this();
  bool failed = false;
  while (!queue_.empty() && !closing_) {
    auto message = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= message->size();
    ws_.text(true);
    auto [ec, n] = co_await ws_.async_write(net::buffer(*message), k_tuple);
    if (ec) {
      failed = true;
      break;
    }
  }
  writing_ = false;
  if (closing_ && !failed) co_await finish_close();
}

void WsSession::close() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    self->close_with(websocket::close_code::going_away, "server shutting down");
  });
}

void WsSession::close_with(std::uint16_t code, std::string reason) {
  if (closing_) return;
  closing_ = true;
  queue_.clear();
  queued_bytes_ = 0;
  close_reason_ = websocket::close_reason{static_cast<websocket::close_code>(code), reason};
  // Beast allows no close frame while a write is in flight: write_loop sends it when that write
  // ends. A client that stops reading altogether is cut off after a grace period.
  if (!writing_) net::co_spawn(ws_.get_executor(), finish_close(), net::detached);
  net::co_spawn(ws_.get_executor(), cut_off_after(std::chrono::seconds{5}), net::detached);
}

net::awaitable<void> WsSession::finish_close() {
  auto self = shared_from_this();
  co_await ws_.async_close(close_reason_, k_tuple);  // a failed close ends the connection too
  closed_ = true;
  if (cut_off_) cut_off_->cancel();
}

net::awaitable<void> WsSession::cut_off_after(std::chrono::seconds grace) {
  auto self = shared_from_this();
  cut_off_.emplace(ws_.get_executor(), grace);
  co_await cut_off_->async_wait(k_tuple);
  if (!closed_) {
    boost::beast::error_code ec;
    boost::beast::get_lowest_layer(ws_).socket().close(ec);
  }
}

}  // namespace tickler::services::realtime
