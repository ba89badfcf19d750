#include "bus/dapr/dapr_bus.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <future>

#include "base/log.hpp"
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
  // The topics go at once: order only matters within a topic.
  std::vector<std::future<core::Status>> others;
  for (std::size_t i = 1; i < topics.size(); ++i) {
    others.push_back(
        std::async(std::launch::async, [this, &entries = by_topic[topics[i]], &topic = topics[i]] {
          return client_.publish_bulk(settings_.pubsub, topic, entries);
        }));
  }
  core::Status result = client_.publish_bulk(settings_.pubsub, topics[0], by_topic[topics[0]]);
  for (auto& f : others) {
    auto st = f.get();
    if (result && !st) result = st;
  }
  return result;
}

void DaprBus::write_metrics(std::string& out) const {
  out += "# HELP tickler_events_handled_total Events delivered to a subscriber, by verdict.\n";
  out += "# TYPE tickler_events_handled_total counter\n";
  std::lock_guard lock{counts_mutex_};
  for (const auto& [key, n] : handled_) {
    const auto& [topic, name, outcome] = key;
    std::string verdict{status_text(outcome)};
    for (auto& c : verdict) c = static_cast<char>(c - 'A' + 'a');
    out += "tickler_events_handled_total{topic=\"" + topic + "\",subscriber=\"" + name +
           "\",outcome=\"" + verdict + "\"} " + std::to_string(n) + "\n";
  }
}

std::string DaprBus::subscriptions_json() const {
  const std::string& pubsub =
      settings_.subscribe_pubsub.empty() ? settings_.pubsub : settings_.subscribe_pubsub;
  boost::json::array out;
  for (const auto& [key, sub] : subscriptions_) {
    boost::json::object s{{"pubsubname", pubsub},
                          {"topic", sub.topic},
                          {"routes", {{"default", "/events/" + sub.topic + "/" + sub.name}}},
                          {"deadLetterTopic", dead_letter_topic(sub.topic)}};
    if (settings_.bulk_await_ms > 0) {
      s["bulkSubscribe"] = {{"enabled", true},
                            {"maxMessagesCount", settings_.bulk_max_messages},
                            {"maxAwaitDurationMs", settings_.bulk_await_ms}};
    }
    out.push_back(std::move(s));
  }
  return boost::json::serialize(out);
}

void DaprBus::register_routes(http::Router& router) {
  using boost::beast::http::verb;
  router.add(verb::get, "/dapr/subscribe", http::Access::open,
             std::bind_front(&DaprBus::on_subscribe, this));
  router.add(verb::post, "/events/{topic}/{name}", http::Access::open,
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
  boost::system::error_code ec;  // not JSON: a null value, which deliver_value drops
  const auto parsed = boost::json::parse(ctx.request.body(), ec);
  const auto* entries =
      !ec && parsed.is_object() ? parsed.as_object().if_contains("entries") : nullptr;
  if (!entries || !entries->is_array()) {
    auto verdict = co_await offload_.call(&DaprBus::deliver_value_result, this, topic, name,
                                          std::cref(parsed));
    Verdict v = verdict ? *verdict : Verdict::retry(verdict.error().message);
    co_return http::json_response(boost::beast::http::status::ok,
                                  {{"status", status_text(v.outcome)}});
  }
  auto verdicts = co_await offload_.call(&DaprBus::deliver_bulk_result, this, topic, name,
                                         std::cref(entries->as_array()));
  boost::json::array statuses;
  if (verdicts) {
    for (const auto& bv : *verdicts) {
      statuses.push_back({{"entryId", bv.entry_id}, {"status", status_text(bv.verdict.outcome)}});
    }
  } else {  // nothing was taken: every entry comes again
    for (const auto& entry : entries->as_array()) {
      const auto* id = entry.is_object() ? entry.as_object().if_contains("entryId") : nullptr;
      if (id && id->is_string()) statuses.push_back({{"entryId", *id}, {"status", "RETRY"}});
    }
  }
  co_return http::json_response(boost::beast::http::status::ok,
                                {{"statuses", std::move(statuses)}});
}

core::Result<Verdict> DaprBus::deliver_value_result(const std::string& topic,
                                                    const std::string& name,
                                                    const boost::json::value& cloudevent) {
  return deliver_value(topic, name, cloudevent);
}

core::Result<std::vector<BulkVerdict>> DaprBus::deliver_bulk_result(
    const std::string& topic, const std::string& name, const boost::json::array& entries) {
  return deliver_bulk(topic, name, entries);
}

bool DaprBus::targets_other(const boost::json::object& event, std::string_view name) {
  const auto* target = event.if_contains(k_target_attribute);
  return target && target->is_string() && target->as_string() != name;
}

void DaprBus::record_verdict(const std::string& topic, const std::string& name,
                             const std::string& event_id, const Verdict& v) {
  {
    std::lock_guard lock{counts_mutex_};
    ++handled_[{topic, name, v.outcome}];
  }
  if (v.outcome == Outcome::success) return;
  const bool dropped = v.outcome == Outcome::drop;
  base::log_json(
      dropped ? spdlog::level::warn : spdlog::level::info,
      dropped ? "event dropped to dead letters" : "event retried",
      {{"topic", topic}, {"subscriber", name}, {"event_id", event_id}, {"reason", v.reason}});
}

Verdict DaprBus::deliver(const std::string& topic, const std::string& name,
                         const std::string& body) {
  boost::system::error_code ec;  // not JSON: a null value, which deliver_value drops
  return deliver_value(topic, name, boost::json::parse(body, ec));
}

Verdict DaprBus::deliver_value(const std::string& topic, const std::string& name,
                               const boost::json::value& parsed) {
  auto it = subscriptions_.find({topic, name});
  if (it == subscriptions_.end()) return Verdict::drop("no subscriber " + name + " of " + topic);
  if (!parsed.is_object()) {
    Verdict v = Verdict::drop("event is not a JSON object");
    record_verdict(topic, name, {}, v);
    return v;
  }
  auto event = event_from_cloudevent(parsed.as_object(), topic);
  if (event && targets_other(parsed.as_object(), name)) return Verdict::ok();
  Verdict v;
  if (!event) {
    v = Verdict::drop(event.error().message);
  } else {
    auto verdicts = it->second.fn({*event});
    v = verdicts.empty() ? Verdict::retry("subscriber gave no verdict") : verdicts.front();
  }
  record_verdict(topic, name, event ? event->id : std::string{}, v);
  return v;
}

std::vector<BulkVerdict> DaprBus::deliver_bulk(const std::string& topic, const std::string& name,
                                               const boost::json::array& entries) {
  std::vector<BulkVerdict> out;
  auto it = subscriptions_.find({topic, name});
  std::vector<Event> batch;
  std::vector<std::size_t> batch_index;  // where each event of the batch sits in `out`
  for (const auto& entry : entries) {
    const auto* o = entry.if_object();
    const auto* id = o ? o->if_contains("entryId") : nullptr;
    if (!id || !id->is_string()) continue;  // nothing to answer it by
    BulkVerdict bv{std::string{id->as_string()}, Verdict::ok()};
    const auto* ce = o->if_contains("event");
    auto event =
        ce && ce->is_object()
            ? event_from_cloudevent(ce->as_object(), topic)
            : core::Result<Event>{core::field_error("event", "the entry has no CloudEvent")};
    if (it == subscriptions_.end()) {
      bv.verdict = Verdict::drop("no subscriber " + name + " of " + topic);
    } else if (!event) {
      bv.verdict = Verdict::drop(event.error().message);
    } else if (!targets_other(ce->as_object(), name)) {
      batch_index.push_back(out.size());
      batch.push_back(std::move(*event));
    }
    if (bv.verdict.outcome != Outcome::success) record_verdict(topic, name, {}, bv.verdict);
    out.push_back(std::move(bv));
  }
  if (batch.empty()) return out;
  auto verdicts = it->second.fn(batch);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Verdict& v = out[batch_index[i]].verdict;
    v = i < verdicts.size() ? verdicts[i]
                            : Verdict::retry("not taken: an earlier event is retried");
    record_verdict(topic, name, batch[i].id, v);
  }
  return out;
}

}  // namespace tickler::bus::dapr
