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
  http::Offload offload_{1};
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
