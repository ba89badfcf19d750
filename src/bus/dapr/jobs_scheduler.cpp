#include "bus/dapr/jobs_scheduler.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "base/log.hpp"
#include "bus/dapr/dapr_bus.hpp"
#include "http/response.hpp"

namespace tickler::bus::dapr {

void JobsScheduler::schedule(const std::string& name, core::Instant at) {
  JobSpec job;
  job.due_time = at;
  job.data = boost::json::serialize(boost::json::object{{"name", name}});
  if (auto st = client_.schedule_job(name, job); !st) {
    base::log_json(spdlog::level::warn, "scheduling a job failed (the sweep will catch it)",
                   {{"job", name}, {"error", st.error().message}});
  }
}

void JobsScheduler::cancel(const std::string& name) {
  if (auto st = client_.delete_job(name); !st) {
    base::log_json(spdlog::level::warn, "deleting a job failed",
                   {{"job", name}, {"error", st.error().message}});
  }
}

void JobsScheduler::register_routes(http::Router& router) {
  router.add(boost::beast::http::verb::post, "/job/{name}", http::Access::open,
             std::bind_front(&JobsScheduler::on_job, this));
}

core::Status JobsScheduler::fire(const std::string& name) {
  return on_due_({name});
}

http::net::awaitable<http::Response> JobsScheduler::on_job(http::RequestContext& ctx) {
  if (!from_sidecar(ctx.request, app_token_)) co_return sidecar_unauthorized();
  const std::string name = ctx.path_params["name"];
  auto st = co_await offload_.call(&JobsScheduler::fire, this, name);
  if (!st) co_return http::error_response(st.error());
  co_return http::empty_response(boost::beast::http::status::ok);
}

}  // namespace tickler::bus::dapr
