#include "http/client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace tickler::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
constexpr auto k_tuple = net::as_tuple(net::use_awaitable);

net::awaitable<core::Result<ClientResponse>> exchange(
    std::vector<net::ip::tcp::endpoint> endpoints,
    beast::http::request<beast::http::string_body> request, std::chrono::milliseconds timeout,
    const DestinationPolicy& policy) {
  auto ex = co_await net::this_coro::executor;
  beast::tcp_stream stream{ex};
  stream.expires_after(timeout);
  auto [cec, ep] = co_await stream.async_connect(endpoints, k_tuple);
  if (cec) co_return core::make_error(core::Errc::unavailable, "connect: " + cec.message());
  // The address actually connected to is the one that counts.
  if (auto why = policy.refusal(ep.address()); !why.empty()) {
    co_return core::make_error(core::Errc::unavailable,
                               "destination refused: " + ep.address().to_string() + " is " + why);
  }
  auto [wec, wn] = co_await beast::http::async_write(stream, request, k_tuple);
  if (wec) co_return core::make_error(core::Errc::unavailable, "send: " + wec.message());
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(64 * 1024);
  auto [rdec, rn] = co_await beast::http::async_read(stream, buffer, parser, k_tuple);
  if (rdec) co_return core::make_error(core::Errc::unavailable, "receive: " + rdec.message());
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  co_return ClientResponse{parser.get().result_int(), std::move(parser.get().body())};
}

}  // namespace

core::Result<ClientResponse> post(std::string_view url, std::string body,
                                  const std::vector<std::pair<std::string, std::string>>& headers,
                                  std::chrono::milliseconds timeout,
                                  const DestinationPolicy& policy) {
  auto u = parse_url_target(url);
  if (!u || u->scheme != "http") {
    return core::make_error(core::Errc::invalid_parameter,
                            "not an http:// URL: " + std::string{url});
  }
  auto endpoints = policy.resolve(u->host, u->port);
  if (!endpoints) return endpoints.error();

  beast::http::request<beast::http::string_body> request{beast::http::verb::post, u->target, 11};
  request.set(beast::http::field::host, u->host_header);
  request.set(beast::http::field::user_agent, "tickler");
  request.set(beast::http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = std::move(body);
  request.prepare_payload();

  net::io_context ioc;
  std::optional<core::Result<ClientResponse>> result;
  net::co_spawn(ioc, exchange(std::move(*endpoints), std::move(request), timeout, policy),
                [&result](std::exception_ptr e, core::Result<ClientResponse> r) {
                  if (e) {
                    result = core::make_error(core::Errc::unavailable, "request failed");
                  } else {
                    result = std::move(r);
                  }
                });
  ioc.run();
  if (!result) return core::make_error(core::Errc::unavailable, "request did not finish");
  return std::move(*result);
}

}  // namespace tickler::http
