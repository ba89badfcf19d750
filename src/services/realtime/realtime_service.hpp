#pragma once
// The realtime role: GET /api/ws (WebSocket, token in ?token= or Authorization) with per-user
// fan-out of task updates and notifications from the bus, through the Hub. Reconnecting clients
// pass ?since=<sequence>&epoch=<epoch> from their last messages to get what they missed.
// A session is closed with 4401 (k_close_token_invalid) when its token expires, when a
// tickler.user.revoked.v1 event on task-updates revokes the generation it was issued under, and,
// opened with an API token, when the token is no longer accepted (asked every
// SessionSettings::recheck_every).
#include <boost/beast/core/tcp_stream.hpp>

#include "bus/bus.hpp"
#include "http/pipeline.hpp"
#include "services/realtime/hub.hpp"
#include "services/realtime/ws_session.hpp"

namespace tickler::services::realtime {

class RealtimeService {
 public:
  // finish adds the headers every response of the server carries (Pipeline::finish).
  using Finish = std::function<void(const http::Request*, http::Response&, std::string_view)>;
  RealtimeService(http::Authenticator authenticate, Finish finish, HubSettings hub = {},
                  SessionSettings settings = {})
      : authenticate_(std::move(authenticate)),
        finish_(std::move(finish)),
        settings_(settings),
        hub_(std::move(hub)) {}

  // The generation and expiry of an authenticated token (auth::JwtIssuer::verify_claims).
  using TokenInfo = std::function<std::optional<SessionToken>(std::string_view token)>;
  void set_token_info(TokenInfo info) { token_info_ = std::move(info); }

  bus::Verdict on_task_update(const bus::Event& event);
  bus::Verdict on_notification(const bus::Event& event);
  // Takes over a connection whose request asked for a WebSocket upgrade.
  void accept(boost::beast::tcp_stream stream, http::Request request);
  void stop() { hub_.close_all(); }
  Hub& hub() { return hub_; }

 private:
  http::net::awaitable<void> upgrade(boost::beast::tcp_stream stream, http::Request request);
  http::net::awaitable<void> refuse(boost::beast::tcp_stream& stream, const http::Request& request,
                                    const std::string& request_id, core::Error error);
  http::Authenticator authenticate_;
  Finish finish_;
  TokenInfo token_info_;
  SessionSettings settings_;
  Hub hub_;
};

}  // namespace tickler::services::realtime
