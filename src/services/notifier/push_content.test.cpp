#include "services/notifier/push_content.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>

#include "services/notifier/content_test_support.hpp"
#include "services/notifier/ntfy_service.hpp"
#include "services/notifier/push_channel.hpp"

namespace tickler::services::notifier {
namespace {

using content_testing::k_signer;

store::ReminderRow reminder() {
  return content_testing::reminder_of("Pay rent");
}

TEST(PushContent, ReminderMessageHasTheContractsFieldsAndSignedActionLinks) {
  ASSERT_GE(sodium_init(), 0);
  const auto now = *core::parse_rfc3339("2026-12-07T08:00:01Z");
  const auto m = reminder_push(k_signer, "push", reminder(), "high", "t7-1/push:3", now);
  EXPECT_EQ(m.at("type"), "reminder");
  EXPECT_EQ(m.at("title"), "Pay rent");
  EXPECT_EQ(m.at("body"), "Due Mon 7 Dec 2026, 09:30 CET");
  EXPECT_EQ(m.at("task_id"), 7);
  EXPECT_EQ(m.at("remind_at"), "2026-12-07T08:00:00.000Z");
  EXPECT_EQ(m.at("due_at"), "2026-12-07T08:30:00.000Z");
  EXPECT_EQ(m.at("priority"), "high");
  EXPECT_EQ(m.at("url"), "https://tickler.example/?task=7");
  EXPECT_EQ(m.at("delivery"), "t7-1/push:3");
  const auto& actions = m.at("actions").as_array();
  ASSERT_EQ(actions.size(), 3u);
  const char* names[] = {"done", "snooze-10m", "snooze-1h"};
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const auto& a = actions[i].as_object();
    EXPECT_EQ(a.at("action"), names[i]);
    const std::string url{a.at("url").as_string()};
    const std::string prefix = "https://tickler.example/links/push/";
    ASSERT_TRUE(url.starts_with(prefix)) << url;
    auto claims = auth::verify_link(k_signer.key, url.substr(prefix.size()), now);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->purpose, "push");
    EXPECT_EQ(claims->action, names[i]);
    EXPECT_EQ(claims->user_id, 42);
    EXPECT_EQ(claims->subject, "7");
  }
}

TEST(PushContent, WithoutAPublicUrlLinksAreRelative) {
  ASSERT_GE(sodium_init(), 0);
  const LinkSigner local{"", k_signer.key, k_signer.ttl};
  auto r = reminder();
  r.due_at.reset();
  const auto m = reminder_push(local, "ntfy", r, "none", "k", core::now());
  EXPECT_EQ(m.at("url"), "/?task=7");
  EXPECT_TRUE(m.at("due_at").is_null());
  EXPECT_TRUE(
      std::string{m.at("actions").as_array()[0].at("url").as_string()}.starts_with("/links/ntfy/"));
}

TEST(PushContent, TestMessageAndUrgency) {
  const auto m = test_push(k_signer, "push:3");
  EXPECT_EQ(m.at("type"), "test");
  EXPECT_TRUE(m.at("task_id").is_null());
  EXPECT_TRUE(m.at("actions").as_array().empty());
  EXPECT_EQ(push_urgency("high"), "high");
  EXPECT_EQ(push_urgency("medium"), "normal");
  EXPECT_EQ(push_urgency("low"), "low");
  EXPECT_EQ(push_urgency("none"), "normal");
}

TEST(PushContent, ADigestCountsItsTasksAndListsTheFirstFewWithinABound) {
  DigestContent d{42, "2026-12-07", "Europe/Berlin", {}};
  const auto at = core::parse_rfc3339("2026-12-07T08:00:00Z").value();
  d.items.push_back({1, "Pay rent", at, "Europe/Berlin", true});
  for (int i = 0; i < 6; ++i) {
    d.items.push_back({2 + i, "Task " + std::to_string(i), at, "Europe/Berlin", false});
  }
  const auto m = digest_push(k_signer, d, "digest:42:2026-12-07/push:3");
  EXPECT_EQ(m.at("type"), "digest");
  EXPECT_EQ(m.at("title"), "Today: 6 due, 1 overdue");
  const std::string body{m.at("body").as_string()};
  EXPECT_TRUE(body.starts_with("Overdue: Pay rent (")) << body;
  EXPECT_NE(body.find("…and 3 more"), std::string::npos) << body;
  EXPECT_TRUE(m.at("actions").as_array().empty());
  EXPECT_EQ(m.at("delivery"), "digest:42:2026-12-07/push:3");

  // Long titles: fewer listed, the body stays bounded.
  DigestContent big{42, "2026-12-07", "UTC", {}};
  for (int i = 0; i < 4; ++i) big.items.push_back({i + 1, std::string(900, 'x'), at, "UTC", false});
  const auto b = digest_push(k_signer, big, "k");
  EXPECT_LE(b.at("body").as_string().size(), 1600u);
  EXPECT_NE(std::string{b.at("body").as_string()}.find("more"), std::string::npos);

  DigestContent none{42, "2026-12-07", "UTC", {}};
  EXPECT_EQ(digest_push(k_signer, none, "k").at("body"), "Nothing overdue, nothing due today.");
}

TEST(PushContent, TopicIs32Base64urlCharactersPerKey) {
  const auto a = PushChannel::topic("t7-1/push:3");
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a, PushChannel::topic("t7-1/push:3"));
  EXPECT_NE(a, PushChannel::topic("t7-2/push:3"));
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

TEST(PushContent, NtfyPublishMapsPriorityActionsAndClick) {
  ASSERT_GE(sodium_init(), 0);
  const auto m = reminder_push(k_signer, "ntfy", reminder(), "medium", "k", core::now());
  const auto p = ntfy_publish(m, "my-tasks");
  EXPECT_EQ(p.at("topic"), "my-tasks");
  EXPECT_EQ(p.at("title"), "Pay rent");
  EXPECT_EQ(p.at("message"), m.at("body"));
  EXPECT_EQ(p.at("priority"), 4);
  EXPECT_EQ(p.at("click"), "https://tickler.example/?task=7");
  const auto& actions = p.at("actions").as_array();
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(actions[0].at("action"), "http");
  EXPECT_EQ(actions[0].at("label"), "Done");
  EXPECT_EQ(actions[0].at("method"), "POST");
  EXPECT_EQ(actions[0].at("clear"), true);
  EXPECT_EQ(actions[0].at("url"), m.at("actions").as_array()[0].at("url"));
  EXPECT_EQ(ntfy_priority("high"), 5);
  EXPECT_EQ(ntfy_priority("low"), 2);
  EXPECT_EQ(ntfy_priority("none"), 3);
}

}  // namespace
}  // namespace tickler::services::notifier
