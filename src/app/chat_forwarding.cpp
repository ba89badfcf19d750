#include "app/chat_forwarding.hpp"

#include <boost/json/parse.hpp>

#include "wire/chat_answer.hpp"

namespace tickler::app {

namespace bh = boost::beast::http;

http::Handler chat_over_invocation(http::Handler forward) {
  return [forward = std::move(forward)](
             http::RequestContext& ctx) -> http::net::awaitable<http::Response> {
    if (wire::wants_chat_json(ctx.request[bh::field::accept])) co_return co_await forward(ctx);
    ctx.request.set(bh::field::accept, "application/json");
    auto res = co_await forward(ctx);
    if (res.result() != bh::status::ok) co_return res;  // errors stay JSON, as the route's are
    boost::system::error_code ec;
    auto answer = boost::json::parse(res.body(), ec);
    if (ec || !answer.is_object()) co_return res;
    res.set(bh::field::content_type, "text/event-stream; charset=utf-8");
    res.set(bh::field::cache_control, "no-cache");
    res.body() = wire::chat_events_of(answer.get_object());
    res.prepare_payload();
    co_return res;
  };
}

}  // namespace tickler::app
