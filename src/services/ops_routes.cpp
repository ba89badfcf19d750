#include "services/ops_routes.hpp"

#include <boost/json.hpp>

#include "http/response.hpp"

namespace tickler::services {
namespace {

using http::beast_http::field;
using http::beast_http::status;
using http::beast_http::verb;

core::Status run_check(const ReadyCheck* ready) {
  return (*ready)();
}

http::net::awaitable<http::Response> healthz(http::RequestContext&) {
  co_return http::json_response(status::ok, boost::json::object{{"status", "ok"}});
}

http::net::awaitable<http::Response> readyz(base::Offload* offload, const ReadyCheck& ready,
                                            http::RequestContext&) {
  auto st = co_await offload->call(&run_check, &ready);
  if (!st) co_return http::error_response(st.error());
  co_return http::json_response(status::ok, boost::json::object{{"status", "ready"}});
}

http::net::awaitable<http::Response> metrics(const http::Metrics* metrics, http::RequestContext&) {
  http::Response res{status::ok, 11};
  res.set(field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.body() = metrics->render();
  res.prepare_payload();
  co_return res;
}

}  // namespace

void add_ops_routes(const Ports& ports, ReadyCheck ready) {
  ports.router.add(verb::get, "/healthz", http::Access::open, &healthz);
  ports.router.add(verb::get, "/readyz", http::Access::open,
                   std::bind_front(&readyz, &ports.offload, std::move(ready)));
  ports.router.add(verb::get, "/metrics", http::Access::open,
                   std::bind_front(&metrics, &ports.metrics));
}

core::Status store_answers(store::Store& store) {
  auto st = store.ping();
  if (!st) {
    return core::make_error(core::Errc::unavailable,
                            "the store does not answer: " + st.error().message);
  }
  return {};
}

}  // namespace tickler::services
