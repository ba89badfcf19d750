#include "services/realtime/realtime_service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

#include "base/log.hpp"
#include "http/response.hpp"
#include "wire/messages.hpp"

namespace tickler::services::realtime {

namespace net = boost::asio;

namespace {

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// The sequence of an event: its id, which the producer's outbox numbers.
std::optional<std::int64_t> sequence_of(const bus::Event& event) {
  return to_int(event.id);
}

// The access-log line of an upgrade request (they bypass the HTTP pipeline).
void log_upgrade(const http::Request& request, const std::string& request_id, unsigned status,
                 core::UserId user) {
  base::log_json(spdlog::level::info, "request",
                 {{"request_id", request_id},
                  {"method", request.method_string()},
                  {"route", "/api/ws"},
                  {"status", status},
                  {"user_id", user}});
}

// Whether the api still accepts a token; a check that could not be made keeps the session.
net::awaitable<bool> still_accepted(http::Authenticator authenticate, std::string token) {
  auto principal = co_await authenticate(token);
  co_return principal || principal.error().code != core::Errc::unauthorized;
}

}  // namespace

bus::Verdict RealtimeService::on_task_update(const bus::Event& event) {
  const auto sequence = sequence_of(event);
  if (!sequence) return bus::Verdict::drop("task update without a numeric id");
  auto message = wire::read_task_updates(event.type, event.data);
  if (!message) return bus::Verdict::drop(message.error().message);
  if (const auto* revoked = std::get_if<wire::UserRevoked>(&*message)) {
    hub_.revoke(revoked->user_id, revoked->token_generation);
    return bus::Verdict::ok();
  }
  auto& update = std::get<wire::TaskUpdate>(*message);
  boost::json::object msg{{"type", "task"},
                          {"sequence", 0},
                          {"op", wire::to_string(update.op)},
                          {"task", std::move(update.task)},
                          {"version", update.version}};
  hub_.publish(update.user_id, event.topic, *sequence, std::move(msg));
  return bus::Verdict::ok();
}

bus::Verdict RealtimeService::on_notification(const bus::Event& event) {
  const auto sequence = sequence_of(event);
  if (!sequence) return bus::Verdict::drop("notification without a numeric id");
  auto fired = wire::read_notifications(event.type, event.data);
  if (!fired) return bus::Verdict::drop(fired.error().message);
  boost::json::object msg{
      {"type", "notification"}, {"sequence", 0}, {"notification", fired->to_json()}};
  hub_.publish(fired->user_id, event.topic, *sequence, std::move(msg));
  return bus::Verdict::ok();
}

void RealtimeService::accept(boost::beast::tcp_stream stream, http::Request request) {
  auto ex = stream.get_executor();
  net::co_spawn(ex, upgrade(std::move(stream), std::move(request)), net::detached);
}

// Answers a refused upgrade with an HTTP error (with the usual headers) and ends the connection.
net::awaitable<void> RealtimeService::refuse(boost::beast::tcp_stream& stream,
                                             const http::Request& request,
                                             const std::string& request_id, core::Error error) {
  auto res = http::error_response(error);
  res.keep_alive(false);
  if (finish_) finish_(&request, res, request_id);
  log_upgrade(request, request_id, res.result_int(), 0);
  co_await boost::beast::http::async_write(stream, res, net::as_tuple(net::use_awaitable));
  boost::beast::error_code ec;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
}

net::awaitable<void> RealtimeService::upgrade(boost::beast::tcp_stream stream,
                                              http::Request request) {
  const auto request_id = http::request_id_for(request["X-Request-Id"]);
  auto url = boost::urls::parse_origin_form(request.target());
  if (!url || url->path() != "/api/ws") {
    co_await refuse(stream, request, request_id,
                    core::make_error(core::Errc::not_found, "WebSocket is served at /api/ws"));
    co_return;
  }
  std::string token;
  std::optional<std::int64_t> since;
  std::string epoch;
  for (const auto& param : url->params()) {
    if (param.key == "token") token = param.value;
    if (param.key == "since") since = to_int(param.value);
    if (param.key == "epoch") epoch = param.value;
  }
  const auto header = request[boost::beast::http::field::authorization];
  if (token.empty() && header.starts_with("Bearer ")) token = std::string{header.substr(7)};
  if (token.empty()) {
    co_await refuse(stream, request, request_id,
                    core::make_error(core::Errc::unauthorized, "missing token (?token=<JWT>)"));
    co_return;
  }
  auto principal = co_await authenticate_(token);
  if (principal && !principal->has(http::scope::tasks_read)) {
    auto denied =
        core::make_error(core::Errc::forbidden, "this credential lacks the scope tasks:read",
                         {{"scope", std::string{"tasks:read"}}});
    denied.code_name = "insufficient_scope";
    principal = std::move(denied);
  }
  if (!principal) {
    co_await refuse(stream, request, request_id, principal.error());
    co_return;
  }
  const core::UserId user = principal->user;
  SessionToken session_token;
  StillAccepted recheck;
  if (auto info = token_info_ ? token_info_(token) : std::nullopt) {
    session_token = *info;
  } else {
    // A token with no generation or expiry known here (an API token) can be revoked by itself,
    // which no event announces: the session asks again now and then.
    recheck = std::bind_front(&still_accepted, authenticate_, token);
  }
  log_upgrade(request, request_id, 101, user);
  auto session = std::make_shared<WsSession>(std::move(stream), hub_, settings_);
  co_await session->run(std::move(request), user, since, std::move(epoch), request_id,
                        session_token, std::move(recheck));
}

}  // namespace tickler::services::realtime
