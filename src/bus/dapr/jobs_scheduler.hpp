#pragma once
// JobsScheduler: the Scheduler on the Dapr Jobs API. schedule() creates (or moves: overwrite)
// a one-shot job named after the reminder; the scheduler service calls back POST /job/{name} on
// this app only, which hands the name to the due handler. A trigger the app fails is retried by
// the job's failure policy; a job that could not be scheduled at all is caught by the notifier's
// sweep, so scheduling failures are logged, not fatal.
#include <functional>
#include <string>
#include <vector>

#include "base/offload.hpp"
#include "bus/dapr/sidecar_client.hpp"
#include "bus/scheduler.hpp"
#include "http/router.hpp"

namespace tickler::bus::dapr {

// Handles due jobs by name; an error makes the trigger fail (and the Jobs API retry it).
using DueHandler = std::function<core::Status(const std::vector<std::string>& names)>;

class JobsScheduler final : public Scheduler {
 public:
  JobsScheduler(DaprClient& client, base::Offload& offload, std::string app_token,
                DueHandler on_due)
      : client_(client),
        offload_(offload),
        app_token_(std::move(app_token)),
        on_due_(std::move(on_due)) {}

  void schedule(const std::string& name, core::Instant at) override;
  void cancel(const std::string& name) override;
  // POST /job/{name}.
  void register_routes(http::Router& router);

 private:
  http::net::awaitable<http::Response> on_job(http::RequestContext& ctx);
  core::Status fire(const std::string& name);

  DaprClient& client_;
  base::Offload& offload_;
  std::string app_token_;
  DueHandler on_due_;
};

}  // namespace tickler::bus::dapr
