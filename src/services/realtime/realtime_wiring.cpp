#include "services/realtime/realtime_wiring.hpp"

#include "wire/topics.hpp"

namespace tickler::services::realtime {

std::unique_ptr<RealtimeService> wire_realtime(const Ports& ports, http::Authenticator check_token,
                                               RealtimeService::TokenInfo token_info,
                                               HubSettings hub) {
  auto realtime = std::make_unique<RealtimeService>(
      std::move(check_token),
      [&pipeline = ports.pipeline](const http::Request* request, http::Response& response,
                                   std::string_view request_id) {
        pipeline.finish(request, response, request_id);
      },
      std::move(hub));
  realtime->set_token_info(std::move(token_info));
  const auto topic = [](std::string_view t) { return std::string{t}; };
  ports.bus.subscribe(topic(wire::topic::task_updates), "realtime",
                      std::bind_front(&RealtimeService::on_task_update, realtime.get()));
  ports.bus.subscribe(topic(wire::topic::notifications), "realtime",
                      std::bind_front(&RealtimeService::on_notification, realtime.get()));
  ports.server.on_upgrade(
      [realtime = realtime.get()](boost::beast::tcp_stream stream, http::Request request) {
        realtime->accept(std::move(stream), std::move(request));
      });
  ports.lifecycle.on_stop_accepting([realtime = realtime.get()] { realtime->stop(); });
  ports.metrics.add_source(
      [realtime = realtime.get()](std::string& out) { realtime->hub().write_metrics(out); });
  return realtime;
}

}  // namespace tickler::services::realtime
