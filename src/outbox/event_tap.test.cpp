#include "outbox/event_tap.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

namespace tickler::outbox {
namespace {

bus::Event event(std::string id, std::string topic) {
  return {std::move(id),
          std::move(topic),
          "tickler.user.revoked.v1",
          "tickler/api",
          "user/7",
          "7",
          core::from_millis(0),
          R"({"user_id":7,"token_generation":2})"};
}

TEST(EventTap, AppendsOneLinePerEventWithItsTopic) {
  const auto file =
      std::filesystem::temp_directory_path() /
      ("tickler-tap-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::remove(file);
  {
    EventTap tap{file.string()};
    tap.record({event("1", "task-updates"), event("2", "task-updates")});
    tap.record({event("3", "task-updates")});
  }
  std::ifstream in{file};
  std::vector<boost::json::object> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(boost::json::parse(line).as_object());
  }
  std::filesystem::remove(file);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[2].at("topic"), "task-updates");
  const auto& ce = lines[2].at("cloudevent").as_object();
  EXPECT_EQ(ce.at("id"), "3");
  EXPECT_EQ(ce.at("data").at("token_generation"), 2);
  EXPECT_EQ(boost::json::serialize(ce), bus::to_cloudevent_json(event("3", "task-updates")));
}

TEST(EventTap, IsOffUnlessTheVariableIsSet) {
  // The unit tests run without TICKLER_EVENT_TAP: no tap, nothing written.
  if (std::getenv(EventTap::k_variable) != nullptr) GTEST_SKIP() << "TICKLER_EVENT_TAP is set";
  EXPECT_EQ(EventTap::from_environment(), nullptr);
}

}  // namespace
}  // namespace tickler::outbox
