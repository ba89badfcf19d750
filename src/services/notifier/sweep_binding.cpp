#include "services/notifier/sweep_binding.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "base/log.hpp"
#include "bus/dapr/dapr_bus.hpp"
#include "http/response.hpp"

namespace tickler::services::notifier {

using http::beast_http::status;
using http::beast_http::verb;

void SweepBinding::register_routes(http::Router& router) {
  // Dapr input bindings POST to /<binding name> (and may ask OPTIONS first).
  const std::string path = "/" + settings_.binding;
  router.add(verb::post, path, http::Access::open, std::bind_front(&SweepBinding::handle, this));
  router.add(verb::options, path, http::Access::open, std::bind_front(&SweepBinding::handle, this));
}

core::Result<int> SweepBinding::run() {
  auto fired = notifier_.sweep();
  if (!fired) return fired;
  // Best effort: where operators look for the safety net's last run.
  const auto record = boost::json::serialize(
      boost::json::object{{"at", core::format_rfc3339(core::now())}, {"fired", *fired}});
  if (auto st = settings_.save_state("sweep-last", record); !st) {
    base::log_json(spdlog::level::warn, "recording the sweep failed",
                   {{"error", st.error().message}});
  }
  return fired;
}

http::net::awaitable<http::Response> SweepBinding::handle(http::RequestContext& ctx) {
  if (!bus::dapr::from_sidecar(ctx.request, settings_.app_token)) {
    co_return bus::dapr::sidecar_unauthorized();
  }
  if (ctx.request.method() == verb::options) co_return http::empty_response(status::ok);
  auto fired = co_await offload_.call(&SweepBinding::run, this);
  if (!fired) co_return http::error_response(fired.error());
  co_return http::json_response(status::ok, boost::json::object{{"fired", *fired}});
}

}  // namespace tickler::services::notifier
