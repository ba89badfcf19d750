// Handlers of the receipts and channels: GET /api/tasks/{id}/deliveries (every reminder ×
// channel of a task, with its state) and GET /api/me/channels (every channel of the user, from
// each Channel's describe).
#include <boost/json.hpp>
#include <charconv>

#include "http/response.hpp"
#include "services/notifier/notifier_service.hpp"

namespace tickler::services::notifier {
namespace {

using http::beast_http::status;
using http::beast_http::verb;

boost::json::value instant_or_null(const std::optional<core::Instant>& t) {
  if (!t) return nullptr;
  return boost::json::value(core::format_rfc3339(*t));
}

}  // namespace

boost::json::object delivery_json(const store::Delivery& d) {
  boost::json::value error = nullptr;
  if (d.last_error) error = boost::json::value(*d.last_error);
  boost::json::value retry_at = nullptr;
  if (store::delivery_waiting(d.state)) retry_at = instant_or_null(d.next_attempt);
  return {{"reminder_id", d.reminder_id},
          {"channel", d.channel},
          {"state", d.state},
          {"attempts", d.attempts},
          {"created_at", core::format_rfc3339(d.created_at)},
          {"sent_at", instant_or_null(d.sent_at)},
          {"delivered_at", instant_or_null(d.delivered_at)},
          {"next_attempt_at", std::move(retry_at)},
          {"last_error", std::move(error)}};
}

void NotifierService::register_delivery_routes(http::Router& router) {
  router.add(verb::get, "/api/tasks/{id}/deliveries", http::Access::tasks_read,
             std::bind_front(&NotifierService::list_task_deliveries, this));
  router.add(verb::get, "/api/me/channels", http::Access::account,
             std::bind_front(&NotifierService::list_channels, this));
}

core::Result<std::vector<store::Delivery>> NotifierService::read_task_deliveries(
    core::UserId user, core::TaskId task) {
  return store_.read_value(
      [&](store::NotifierReader& r) { return r.task_deliveries(user, task, 1000); });
}

core::Result<boost::json::array> NotifierService::read_channels(core::UserId user) {
  return store_.read_value([&](store::NotifierReader& r) -> core::Result<boost::json::array> {
    // In-app notices are always on: every fired reminder is one.
    boost::json::array out{boost::json::object{{"channel", "in_app"}, {"state", "on"}}};
    for (const auto& channel : channels_) {
      auto described = channel->describe(r, user);
      if (!described) return described.error();
      for (auto& o : *described) out.push_back(std::move(o));
    }
    return out;
  });
}

http::net::awaitable<http::Response> NotifierService::list_task_deliveries(
    http::RequestContext& ctx) {
  const auto& text = ctx.path_params.at("id");
  core::TaskId task = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), task);
  if (ec != std::errc{} || ptr != text.data() + text.size() || task <= 0) {
    co_return http::error_response(core::make_error(core::Errc::not_found, "task not found"));
  }
  auto rows =
      co_await offload_.call(&NotifierService::read_task_deliveries, this, *ctx.user_id, task);
  if (!rows) co_return http::error_response(rows.error());
  boost::json::array items;
  for (const auto& d : *rows) items.push_back(delivery_json(d));
  co_return http::json_response(status::ok, boost::json::object{{"items", std::move(items)}});
}

http::net::awaitable<http::Response> NotifierService::list_channels(http::RequestContext& ctx) {
  auto channels = co_await offload_.call(&NotifierService::read_channels, this, *ctx.user_id);
  if (!channels) co_return http::error_response(channels.error());
  co_return http::json_response(status::ok,
                                boost::json::object{{"channels", std::move(*channels)}});
}

}  // namespace tickler::services::notifier
