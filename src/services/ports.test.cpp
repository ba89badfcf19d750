// The Lifecycle's order (start in order of wiring, both stops in reverse, the background stop
// once), and the operational routes every process serves.
#include "services/ports.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "services/ops_routes.hpp"

namespace tickler::services {
namespace {

TEST(Lifecycle, StartsInOrderAndStopsInReverse) {
  Lifecycle lifecycle;
  std::vector<std::string> log;
  for (std::string name : {"timers", "notifier", "relay"}) {
    lifecycle.on_start([&log, name] { log.push_back("start " + name); });
    lifecycle.on_stop([&log, name] { log.push_back("stop " + name); });
  }
  lifecycle.on_stop_accepting([&log] { log.push_back("close api"); });
  lifecycle.on_stop_accepting([&log] { log.push_back("close realtime"); });
  lifecycle.start();
  lifecycle.stop_accepting();
  lifecycle.stop();
  lifecycle.stop();  // once
  EXPECT_EQ(log, (std::vector<std::string>{"start timers", "start notifier", "start relay",
                                           "close realtime", "close api", "stop relay",
                                           "stop notifier", "stop timers"}));
}

TEST(Lifecycle, AStartUpFailureStopsTheRestUnstarted) {
  Lifecycle lifecycle;
  std::vector<std::string> log;
  lifecycle.on_start([&log] { log.emplace_back("start a"); });
  lifecycle.on_stop([&log] { log.emplace_back("stop a"); });
  lifecycle.on_start([] { throw std::runtime_error("b failed"); });
  lifecycle.on_stop([&log] { log.emplace_back("stop b"); });
  lifecycle.on_start([&log] { log.emplace_back("start c"); });
  EXPECT_THROW(lifecycle.start(), std::runtime_error);
  lifecycle.stop();
  EXPECT_EQ(log, (std::vector<std::string>{"start a", "stop b", "stop a"}));
}

// Runs one route's handler on an io_context, as the pipeline would.
class OpsRoutes : public ::testing::Test {
 protected:
  http::Response call(std::string_view path) {
    auto m = router_.match(http::beast_http::verb::get, path);
    EXPECT_TRUE(m.route) << path;
    if (!m.route) return {};
    http::Request request{http::beast_http::verb::get, path, 11};
    http::RequestContext ctx{request, {}, {}, {}, {}, "req-1", "127.0.0.1"};
    auto future = boost::asio::co_spawn(ioc_, m.route->handler(ctx), boost::asio::use_future);
    ioc_.run();
    ioc_.restart();
    return future.get();
  }
  Ports ports() {
    return {ioc_, offload_, nullptr, bus_, router_, metrics_, server_, pipeline_, lifecycle_, {}};
  }

  class NoBus final : public bus::Bus {
   public:
    void subscribe(std::string, std::string, bus::Subscriber) override {}
    void subscribe_batch(std::string, std::string, bus::BatchSubscriber) override {}
    core::Status publish(const bus::Event&, const std::optional<std::string>&) override {
      return {};
    }
    core::Status publish_batch(const std::vector<bus::Event>&,
                               const std::optional<std::string>&) override {
      return {};
    }
  };

  boost::asio::io_context ioc_;
  base::Offload offload_{1};
  NoBus bus_;
  http::Router router_;
  http::Metrics metrics_;
  http::Pipeline pipeline_{{}, router_, metrics_, {}};
  http::Server server_{ioc_, {}, pipeline_};
  Lifecycle lifecycle_;
};

TEST_F(OpsRoutes, AnswerAliveReadyAndMetrics) {
  metrics_.add_source([](std::string& out) { out += "tickler_test_gauge 1\n"; });
  add_ops_routes(ports(), [] { return core::Status{}; });
  auto health = call("/healthz");
  EXPECT_EQ(health.result(), http::beast_http::status::ok);
  EXPECT_EQ(boost::json::parse(health.body()), (boost::json::object{{"status", "ok"}}));
  auto ready = call("/readyz");
  EXPECT_EQ(ready.result(), http::beast_http::status::ok);
  EXPECT_EQ(boost::json::parse(ready.body()), (boost::json::object{{"status", "ready"}}));
  auto metrics = call("/metrics");
  EXPECT_EQ(metrics[http::beast_http::field::content_type],
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body().find("tickler_test_gauge 1"), std::string::npos);
}

TEST_F(OpsRoutes, ReadyzAnswersTheChecksError) {
  add_ops_routes(ports(), [] {
    return core::Status{core::make_error(core::Errc::unavailable, "the sidecar is down")};
  });
  auto ready = call("/readyz");
  EXPECT_EQ(ready.result(), http::beast_http::status::service_unavailable);
  EXPECT_NE(ready.body().find("the sidecar is down"), std::string::npos);
}

}  // namespace
}  // namespace tickler::services
