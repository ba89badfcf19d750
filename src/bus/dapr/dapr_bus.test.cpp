#include "bus/dapr/dapr_bus.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tickler::bus::dapr {
namespace {

Event sample(std::string id) {
  Event e;
  e.id = std::move(id);
  e.topic = "task-events";
  e.type = "tickler.task.created.v1";
  e.source = "tickler/api";
  e.subject = "7";
  e.partition_key = "3";
  e.time = core::from_millis(1'700'000'000'000);
  e.data = R"({"task_id":7,"user_id":3})";
  return e;
}

class DaprBusTest : public ::testing::Test {
 protected:
  DaprClient client_{{"127.0.0.1", 9, "", std::chrono::milliseconds{200}, 1}};
  base::Offload offload_{1};
  DaprBus bus_{{"tickler-pubsub", "", "s3cret"}, client_, offload_};
};

TEST_F(DaprBusTest, SubscriptionsNameRouteAndDeadLetterTopic) {
  bus_.subscribe("task-events", "auditor", [](const Event&) { return Verdict::ok(); });
  bus_.subscribe("reminders", "notifier", [](const Event&) { return Verdict::ok(); });
  auto subs = boost::json::parse(bus_.subscriptions_json()).as_array();
  ASSERT_EQ(subs.size(), 2u);
  const auto& first = subs[0].as_object();  // ordered by (topic, name)
  EXPECT_EQ(first.at("pubsubname"), "tickler-pubsub");
  EXPECT_EQ(first.at("topic"), "reminders");
  EXPECT_EQ(first.at("routes").at("default"), "/events/reminders/notifier");
  EXPECT_EQ(first.at("deadLetterTopic"), "reminders.dlq");
}

TEST_F(DaprBusTest, FanoutComponentIsUsedForSubscriptions) {
  DaprBus realtime{{"tickler-pubsub", "tickler-pubsub-fanout", ""}, client_, offload_};
  realtime.subscribe("task-updates", "realtime", [](const Event&) { return Verdict::ok(); });
  auto subs = boost::json::parse(realtime.subscriptions_json()).as_array();
  EXPECT_EQ(subs[0].at("pubsubname"), "tickler-pubsub-fanout");
}

TEST_F(DaprBusTest, DeliverGivesTheSubscriberTheEventAndItsVerdict) {
  std::vector<std::string> seen;
  bus_.subscribe("task-events", "auditor", [&](const Event& e) {
    seen.push_back(e.id + ":" + e.type + ":" + e.data);
    return e.id == "2" ? Verdict::retry("busy") : Verdict::ok();
  });
  EXPECT_EQ(bus_.deliver("task-events", "auditor", to_cloudevent_json(sample("1"))).outcome,
            Outcome::success);
  EXPECT_EQ(bus_.deliver("task-events", "auditor", to_cloudevent_json(sample("2"))).outcome,
            Outcome::retry);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], R"(1:tickler.task.created.v1:{"task_id":7,"user_id":3})");
}

TEST_F(DaprBusTest, MalformedEventsAndUnknownSubscribersAreDropped) {
  int calls = 0;
  bus_.subscribe("task-events", "auditor", [&](const Event&) {
    ++calls;
    return Verdict::ok();
  });
  EXPECT_EQ(bus_.deliver("task-events", "auditor", "not json").outcome, Outcome::drop);
  EXPECT_EQ(bus_.deliver("task-events", "auditor", R"({"specversion":"1.0"})").outcome,
            Outcome::drop);
  EXPECT_EQ(bus_.deliver("task-events", "nobody", to_cloudevent_json(sample("1"))).outcome,
            Outcome::drop);
  EXPECT_EQ(calls, 0);
}

TEST_F(DaprBusTest, TargetedEventsReachOnlyTheirTarget) {
  int recurrer = 0;
  int auditor = 0;
  bus_.subscribe("task-events", "recurrer", [&](const Event&) {
    ++recurrer;
    return Verdict::ok();
  });
  bus_.subscribe("task-events", "auditor", [&](const Event&) {
    ++auditor;
    return Verdict::ok();
  });
  auto v = boost::json::parse(to_cloudevent_json(sample("9")));
  v.as_object()["tickletarget"] = "auditor";
  const auto body = boost::json::serialize(v);
  EXPECT_EQ(bus_.deliver("task-events", "recurrer", body).outcome, Outcome::success);
  EXPECT_EQ(bus_.deliver("task-events", "auditor", body).outcome, Outcome::success);
  EXPECT_EQ(recurrer, 0);
  EXPECT_EQ(auditor, 1);
}

// A bulk delivery as daprd sends it: {"entries": [{"entryId", "event": <CloudEvent>}…], …}.
boost::json::array bulk_entries(const std::vector<std::pair<std::string, std::string>>& events) {
  boost::json::array entries;
  for (const auto& [entry_id, cloudevent] : events) {
    entries.push_back({{"entryId", entry_id},
                       {"event", boost::json::parse(cloudevent)},
                       {"contentType", "application/cloudevents+json"},
                       {"metadata", boost::json::object{}}});
  }
  return entries;
}

std::string with_target(const Event& e, std::string_view target) {
  auto v = boost::json::parse(to_cloudevent_json(e));
  v.as_object()["tickletarget"] = target;
  return boost::json::serialize(v);
}

TEST_F(DaprBusTest, SubscriptionsAskForBulkDeliveryUnlessTurnedOff) {
  bus_.subscribe("task-events", "auditor", [](const Event&) { return Verdict::ok(); });
  auto sub = boost::json::parse(bus_.subscriptions_json()).as_array().at(0).as_object();
  const auto& bulk = sub.at("bulkSubscribe").as_object();
  EXPECT_EQ(bulk.at("enabled"), true);
  EXPECT_EQ(bulk.at("maxMessagesCount"), 100);
  EXPECT_EQ(bulk.at("maxAwaitDurationMs"), 10);

  DaprBus single{
      {.pubsub = "tickler-pubsub", .subscribe_pubsub = "", .app_token = "", .bulk_await_ms = 0},
      client_,
      offload_};
  single.subscribe("task-events", "auditor", [](const Event&) { return Verdict::ok(); });
  auto plain = boost::json::parse(single.subscriptions_json()).as_array().at(0).as_object();
  EXPECT_FALSE(plain.contains("bulkSubscribe"));
}

TEST_F(DaprBusTest, ABulkReachesTheSubscriberAsOneBatchInOrder) {
  std::vector<std::vector<std::string>> calls;
  bus_.subscribe_batch("task-events", "auditor", [&](const std::vector<Event>& events) {
    calls.emplace_back();
    for (const auto& e : events) calls.back().push_back(e.id);
    std::vector<Verdict> out(events.size(), Verdict::ok());
    out[1] = Verdict::drop("poison");
    return out;
  });
  auto verdicts = bus_.deliver_bulk("task-events", "auditor",
                                    bulk_entries({{"0", to_cloudevent_json(sample("a"))},
                                                  {"1", to_cloudevent_json(sample("b"))},
                                                  {"2", to_cloudevent_json(sample("c"))}}));
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0], (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_EQ(verdicts[0].entry_id, "0");
  EXPECT_EQ(verdicts[0].verdict.outcome, Outcome::success);
  EXPECT_EQ(verdicts[1].entry_id, "1");
  EXPECT_EQ(verdicts[1].verdict.outcome, Outcome::drop);
  EXPECT_EQ(verdicts[2].verdict.outcome, Outcome::success);
}

TEST_F(DaprBusTest, BulkEntriesNotTakenAreRetriedAndMalformedOnesDropped) {
  std::vector<std::string> seen;
  bus_.subscribe_batch("task-events", "auditor", [&](const std::vector<Event>& events) {
    for (const auto& e : events) seen.push_back(e.id);
    // A failed transaction: nothing taken from the first event on.
    return retry_from_first_kept(std::vector<Verdict>(events.size(), Verdict::ok()), "db down");
  });
  auto entries = bulk_entries({{"0", R"({"specversion":"1.0"})"},
                               {"1", with_target(sample("x"), "recurrer")},
                               {"2", to_cloudevent_json(sample("y"))},
                               {"3", to_cloudevent_json(sample("z"))}});
  entries.push_back(boost::json::object{
      {"event", boost::json::parse(to_cloudevent_json(sample("no-entry-id")))}});
  auto verdicts = bus_.deliver_bulk("task-events", "auditor", entries);
  EXPECT_EQ(seen, (std::vector<std::string>{"y", "z"}));
  ASSERT_EQ(verdicts.size(), 4u);                            // the entry without an id: none
  EXPECT_EQ(verdicts[0].verdict.outcome, Outcome::drop);     // not a CloudEvent
  EXPECT_EQ(verdicts[1].verdict.outcome, Outcome::success);  // meant for another subscriber
  EXPECT_EQ(verdicts[2].verdict.outcome, Outcome::retry);    // the failed transaction
  EXPECT_EQ(verdicts[3].verdict.outcome, Outcome::retry);    // not taken, comes again
  EXPECT_EQ(bus_.deliver_bulk("task-events", "nobody",
                              bulk_entries({{"0", to_cloudevent_json(sample("q"))}}))
                .at(0)
                .verdict.outcome,
            Outcome::drop);
}

TEST_F(DaprBusTest, PublishWithoutASidecarIsAnErrorNotASuccess) {
  auto st = bus_.publish(sample("1"), std::nullopt);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::unavailable);
}

TEST(AppToken, OnlyTheExactTokenPasses) {
  http::Request with{boost::beast::http::verb::post, "/events/x/y", 11};
  with.set("dapr-api-token", "s3cret");
  http::Request wrong{boost::beast::http::verb::post, "/events/x/y", 11};
  wrong.set("dapr-api-token", "s3creT");
  http::Request without{boost::beast::http::verb::post, "/events/x/y", 11};
  EXPECT_TRUE(from_sidecar(with, "s3cret"));
  EXPECT_FALSE(from_sidecar(wrong, "s3cret"));
  EXPECT_FALSE(from_sidecar(without, "s3cret"));
  EXPECT_TRUE(from_sidecar(without, ""));
  EXPECT_EQ(sidecar_unauthorized().result_int(), 401u);
}

TEST(DeadLetterTopic, IsTheTopicWithDlq) {
  EXPECT_EQ(dead_letter_topic("reminders"), "reminders.dlq");
}

}  // namespace
}  // namespace tickler::bus::dapr
