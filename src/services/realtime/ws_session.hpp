#pragma once
// One WebSocket connection of a user (Beast, coroutines on the connection's strand): accepts the
// upgrade, joins the hub, and writes queued messages in order. The send queue is bounded: a
// client too slow to keep up is closed with code 4008 ("send queue full") instead of holding
// memory or slowing anyone else. Ping/pong heartbeat: a connection silent for 15 s is pinged
// and closed when 30 s pass without an answer.
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "http/types.hpp"
#include "services/realtime/hub.hpp"

namespace tickler::services::realtime {

struct SessionSettings {
  std::size_t max_queued_messages = 1024;
  std::size_t max_queued_bytes = 4 * 1024 * 1024;
  // How often a session opened with a token that has no generation of its own (a personal API
  // token, an OAuth access token) asks again whether the token is still accepted.
  std::chrono::seconds recheck_every{15};
};

inline constexpr std::uint16_t k_close_slow_consumer = 4008;
// The session's token expired or was revoked (password changed, account disabled or deleted,
// the API token revoked): the client signs in again, then reconnects.
inline constexpr std::uint16_t k_close_token_invalid = 4401;

// What the session knows of its token: the generation it was issued under and its expiry.
struct SessionToken {
  std::int64_t generation = 0;
  std::optional<core::Instant> expires_at;  // nullopt: no expiry timer
};

// For a token revoked by itself (an API token): whether it is still accepted; false closes the
// session (asked every SessionSettings::recheck_every).
using StillAccepted = std::function<http::net::awaitable<bool>()>;

class WsSession final : public Outlet, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(boost::beast::tcp_stream stream, Hub& hub, SessionSettings settings)
      : ws_(std::move(stream)), hub_(hub), settings_(settings) {}

  // Completes the upgrade for `user` and serves until the connection ends.
  http::net::awaitable<void> run(http::Request request, core::UserId user,
                                 std::optional<std::int64_t> since, std::string epoch,
                                 std::string request_id, SessionToken token = {},
                                 StillAccepted still_accepted = {});
  void send(std::shared_ptr<const std::string> message) override;
  void close() override;
  void revoke(std::int64_t generation) override;

 private:
  http::net::awaitable<void> write_loop();
  http::net::awaitable<void> finish_close();
  http::net::awaitable<void> cut_off_after(std::chrono::seconds grace);
  http::net::awaitable<void> close_at_expiry();
  http::net::awaitable<void> recheck_loop(StillAccepted ask);
  void close_with(std::uint16_t code, std::string reason);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  Hub& hub_;
  SessionSettings settings_;
  // Touched only on the connection's strand.
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
  boost::beast::websocket::close_reason close_reason_;
  std::optional<boost::asio::steady_timer> cut_off_;
  std::optional<boost::asio::steady_timer> expiry_;
  std::optional<boost::asio::steady_timer> recheck_;
  std::int64_t token_generation_ = 0;
  bool ended_ = false;  // the read loop ended: the expiry wait, if any, must not hold the session
};

}  // namespace tickler::services::realtime
