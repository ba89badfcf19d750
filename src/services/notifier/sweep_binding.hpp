#pragma once
// POST /<binding> (and the OPTIONS Dapr may ask first): the cron input binding of the
// distributed mode, every minute. Sweeps (fires every overdue reminder a lost job missed),
// records when and how many under "sweep-last" where operators look (the Dapr state store; best
// effort) and answers {"fired": n}. Answers only calls carrying the app token.
#include <functional>
#include <string>
#include <string_view>

#include "base/offload.hpp"
#include "http/router.hpp"
#include "services/notifier/notifier_service.hpp"

namespace tickler::services::notifier {

struct SweepBindingSettings {
  std::string binding = "reminder-sweep";  // the input binding's name, the route's path
  std::string app_token;                   // APP_API_TOKEN
  // Saves a JSON value under a key (the Dapr state store).
  std::function<core::Status(std::string_view key, std::string_view json)> save_state;
};

class SweepBinding {
 public:
  SweepBinding(SweepBindingSettings settings, NotifierService& notifier, base::Offload& offload)
      : settings_(std::move(settings)), notifier_(notifier), offload_(offload) {}
  SweepBinding(const SweepBinding&) = delete;
  SweepBinding& operator=(const SweepBinding&) = delete;

  void register_routes(http::Router& router);

 private:
  http::net::awaitable<http::Response> handle(http::RequestContext& ctx);
  core::Result<int> run();

  SweepBindingSettings settings_;
  NotifierService& notifier_;
  base::Offload& offload_;
};

}  // namespace tickler::services::notifier
