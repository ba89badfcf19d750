#pragma once
// DaprBus: the Bus over Dapr pub/sub (Kafka behind it). Publishing hands a structured CloudEvent
// to the sidecar (event id = the outbox id, partition key = the user id, so one user's events stay
// in order); success means Kafka acknowledged it. Subscribing is programmatic: the sidecar reads
// GET /dapr/subscribe (one route and one dead-letter topic per subscription, bulk subscribe on)
// and delivers to POST /events/{topic}/{name} either one CloudEvent, answered with Dapr's
// {"status": SUCCESS | RETRY | DROP}, or a bulk of them ({"entries": [{entryId, event}…]}),
// handed to the subscriber as one batch and answered {"statuses": [{entryId, status}…]}.
// DROP sends an event to "<topic>.dlq". Every route here answers only calls that carry the app
// token the sidecar was given (APP_API_TOKEN).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "base/offload.hpp"
#include "bus/bus.hpp"
#include "bus/dapr/sidecar_client.hpp"
#include "http/router.hpp"

namespace tickler::bus::dapr {

struct DaprBusSettings {
  std::string pubsub = "tickler-pubsub";  // the component events are published through
  // The component subscriptions go through (realtime replicas use one with a consumer group per
  // replica); empty: pubsub.
  std::string subscribe_pubsub;
  std::string app_token;  // APP_API_TOKEN; empty: no check (tests without a sidecar only)
  // Bulk subscribe: the sidecar hands over what a partition has gathered every `bulk_await_ms`
  // (at most `bulk_max_messages` at once), so a consumer takes a burst in one call and one
  // transaction instead of one round trip per event. 0: one event per call.
  int bulk_await_ms = 10;
  int bulk_max_messages = 100;
};

// One entry of a bulk delivery and its verdict.
struct BulkVerdict {
  std::string entry_id;
  Verdict verdict;
};

// The dead-letter topic of a topic.
[[nodiscard]] std::string dead_letter_topic(std::string_view topic);

// True when the request carries the app token (constant-time comparison); always when no token
// is configured.
[[nodiscard]] bool from_sidecar(const http::Request& request, std::string_view app_token);
// 401 in the error envelope, for calls without the app token.
[[nodiscard]] http::Response sidecar_unauthorized();

class DaprBus final : public Bus {
 public:
  DaprBus(DaprBusSettings settings, DaprClient& client, base::Offload& offload)
      : settings_(std::move(settings)), client_(client), offload_(offload) {}

  void subscribe(std::string topic, std::string name, Subscriber fn) override;
  void subscribe_batch(std::string topic, std::string name, BatchSubscriber fn) override;
  core::Status publish(const Event& event, const std::optional<std::string>& target) override;
  core::Status publish_batch(const std::vector<Event>& events,
                             const std::optional<std::string>& target) override;

  // GET /dapr/subscribe and POST /events/{topic}/{name}. Call after every subscribe().
  void register_routes(http::Router& router);
  // tickler_events_handled_total{topic, subscriber, outcome}.
  void write_metrics(std::string& out) const;
  // The JSON answered on GET /dapr/subscribe.
  [[nodiscard]] std::string subscriptions_json() const;
  // Delivers one CloudEvent body to subscriber `name` of `topic`; the verdict (tests, handler).
  Verdict deliver(const std::string& topic, const std::string& name, const std::string& body);
  // Delivers a bulk ({"entries": […]}) as one batch; a verdict per entry, in order. Entries the
  // subscriber gave no verdict for were not taken (RETRY); malformed ones are DROPped.
  std::vector<BulkVerdict> deliver_bulk(const std::string& topic, const std::string& name,
                                        const boost::json::array& entries);

 private:
  struct Subscription {
    std::string topic;
    std::string name;
    BatchSubscriber fn;
  };
  http::net::awaitable<http::Response> on_subscribe(http::RequestContext& ctx);
  http::net::awaitable<http::Response> on_event(http::RequestContext& ctx);
  // One CloudEvent, parsed (anything but an object is dropped).
  Verdict deliver_value(const std::string& topic, const std::string& name,
                        const boost::json::value& cloudevent);
  core::Result<Verdict> deliver_value_result(const std::string& topic, const std::string& name,
                                             const boost::json::value& cloudevent);
  core::Result<std::vector<BulkVerdict>> deliver_bulk_result(const std::string& topic,
                                                             const std::string& name,
                                                             const boost::json::array& entries);
  // Whether `event` (parsed CloudEvent) is meant for another subscriber than `name` (redrive).
  static bool targets_other(const boost::json::object& event, std::string_view name);
  // Counts the verdict (tickler_events_handled_total) and logs it unless SUCCESS.
  void record_verdict(const std::string& topic, const std::string& name,
                      const std::string& event_id, const Verdict& v);

  DaprBusSettings settings_;
  DaprClient& client_;
  base::Offload& offload_;
  std::map<std::pair<std::string, std::string>, Subscription> subscriptions_;
  mutable std::mutex counts_mutex_;
  std::map<std::tuple<std::string, std::string, Outcome>, std::uint64_t> handled_;
};

}  // namespace tickler::bus::dapr
