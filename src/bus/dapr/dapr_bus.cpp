#include "bus/dapr/dapr_bus.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "http/log.hpp"
#include "http/response.hpp"

namespace tickler::bus::dapr {
namespace {

// A publish meant for one subscriber only (a redrive) carries its name in this extension;
// the others take it as handled.
constexpr std::string_view k_target_attribute = "tickletarget";

std::string_view status_text(Outcome o) {
  switch (o) {
    case Outcome::success:
      return "SUCCESS";
    case Outcome::retry:
      return "RETRY";
    case Outcome::drop:
      return "DROP";
  }
  return "RETRY";
}

}  // namespace

std::string dead_letter_topic(std::string_view topic) {
  return std::string{topic} + ".dlq";
}

bool from_sidecar(const http::Request& request, std::string_view app_token) {
  if (app_token.empty()) return true;
  const auto given = request["dapr-api-token"];
  return given.size() == app_token.size() &&
         sodium_memcmp(given.data(), app_token.data(), app_token.size()) == 0;
}

http::Response sidecar_unauthorized() {
  return http::error_response(core::make_error(
      core::Errc::unauthorized, "this route answers the Dapr sidecar only (dapr-api-token)"));
}

void DaprBus::subscribe(std::string topic, std::string name, Subscriber fn) {
  subscribe_batch(std::move(topic), std::move(name),
                  [fn = std::move(fn)](const std::vector<Event>& events) {
                    std::vector<Verdict> out;
                    out.reserve(events.size());
                    for (const auto& e : events) out.push_back(fn(e));
                    return out;
                  });
}

void DaprBus::subscribe_batch(std::string topic, std::string name, BatchSubscriber fn) {
  auto key = std::make_pair(topic, name);
  subscriptions_[key] = {std::move(topic), std::move(name), std::move(fn)};
}

core::Status DaprBus::publish(const Event& event, const std::optional<std::string>& target) {
  std::string body = to_cloudevent_json(event);
  if (target) {
    auto v = boost::json::parse(body);
    v.as_object()[k_target_attribute] = *target;
    body = boost::json::serialize(v);
  }
  return client_.publish(settings_.pubsub, event.topic, body, event.id, event.partition_key);
}

core::Status DaprBus::publish_batch(const std::vector<Event>& events,
                                    const std::optional<std::string>& target) {
  if (target || events.size() == 1) {
    for (const auto& e : events) {
      if (auto st = publish(e, target); !st) return st;
    }
    return {};
  }
  // One bulk publish per topic (one Kafka batch each), in the events' order within a topic,
  // which is all that per-user order needs. A failure fails the whole run: the relay publishes
  // it again from its first row, and consumers recognise what they already took.
  std::vector<std::string> topics;
  std::map<std::string, std::vector<DaprClient::BulkEntry>> by_topic;
  for (const auto& e : events) {
    auto [it, added] = by_topic.try_emplace(e.topic);
    if (added) topics.push_back(e.topic);
    it->second.push_back({e.id, to_cloudevent_json(e), e.partition_key});
  }
  for (const auto& topic : topics) {
    if (auto st = client_.publish_bulk(settings_.pubsub, topic, by_topic[topic]); !st) return st;
  }
  return {};
}

std::string DaprBus::subscriptions_json() const {
  const std::string& pubsub =
      settings_.subscribe_pubsub.empty() ? settings_.pubsub : settings_.subscribe_pubsub;
  boost::json::array out;
  for (const auto& [key, sub] : subscriptions_) {
    out.push_back({{"pubsubname", pubsub},
                   {"topic", sub.topic},
                   {"routes", {{"default", "/events/" + sub.topic + "/" + sub.name}}},
                   {"deadLetterTopic", dead_letter_topic(sub.topic)}});
  }
  return boost::json::serialize(out);
}

void DaprBus::register_routes(http::Router& router) {
  using boost::beast::http::verb;
  router.add(verb::get, "/dapr/subscribe", false, std::bind_front(&DaprBus::on_subscribe, this));
  router.add(verb::post, "/events/{topic}/{name}", false,
             std::bind_front(&DaprBus::on_event, this));
}

http::net::awaitable<http::Response> DaprBus::on_subscribe(http::RequestContext& ctx) {
  if (!from_sidecar(ctx.request, settings_.app_token)) co_return sidecar_unauthorized();
  http::Response res{boost::beast::http::status::ok, 11};
  res.set(boost::beast::http::field::content_type, "application/json");
  res.body() = subscriptions_json();
  res.prepare_payload();
  co_return res;
}

http::net::awaitable<http::Response> DaprBus::on_event(http::RequestContext& ctx) {
  if (!from_sidecar(ctx.request, settings_.app_token)) co_return sidecar_unauthorized();
  const std::string topic = ctx.path_params["topic"];
  const std::string name = ctx.path_params["name"];
  const std::string body = ctx.request.body();
  auto verdict = co_await offload_.call(&DaprBus::deliver_result, this, topic, name, body);
  Verdict v = verdict ? *verdict : Verdict::retry(verdict.error().message);
  co_return http::json_response(boost::beast::http::status::ok,
                                {{"status", status_text(v.outcome)}});
}

core::Result<Verdict> DaprBus::deliver_result(const std::string& topic, const std::string& name,
                                              const std::string& body) {
  return deliver(topic, name, body);
}

Verdict DaprBus::deliver(const std::string& topic, const std::string& name,
                         const std::string& body) {
  auto it = subscriptions_.find({topic, name});
  if (it == subscriptions_.end()) return Verdict::drop("no subscriber " + name + " of " + topic);
  auto event = event_from_cloudevent_json(body, topic);
  Verdict v;
  if (!event) {
    v = Verdict::drop(event.error().message);
  } else {
    boost::system::error_code ec;
    auto parsed = boost::json::parse(body, ec);
    const auto* target = ec ? nullptr : parsed.as_object().if_contains(k_target_attribute);
    if (target && target->is_string() && target->as_string() != name) return Verdict::ok();
    auto verdicts = it->second.fn({*event});
    v = verdicts.empty() ? Verdict::retry("subscriber gave no verdict") : verdicts.front();
  }
  if (v.outcome != Outcome::success) {
    http::log_json(v.outcome == Outcome::drop ? spdlog::level::warn : spdlog::level::info,
                   v.outcome == Outcome::drop ? "event dropped to dead letters" : "event retried",
                   {{"topic", topic},
                    {"subscriber", name},
                    {"event_id", event ? event->id : std::string{}},
                    {"reason", v.reason}});
  }
  return v;
}

}  // namespace tickler::bus::dapr
