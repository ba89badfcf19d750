#include "services/notifier/email_content.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <regex>
#include <set>

#include "services/notifier/content_test_support.hpp"

namespace tickler::services::notifier {
namespace {

using content_testing::k_signer;

store::ReminderRow reminder() {
  return content_testing::reminder_of("Pay <b>rent</b> & \"tea\"");
}

std::vector<std::string> links_in(const std::string& text) {
  std::vector<std::string> out;
  const std::regex url{R"(https://tickler\.example/links/task/([A-Za-z0-9_.-]+))"};
  for (std::sregex_iterator it{text.begin(), text.end(), url}, end; it != end; ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

TEST(EmailContent, ReminderMailShowsTheLocalDueTimeEscapedWithSignedLinks) {
  ASSERT_GE(sodium_init(), 0);
  const auto now = *core::parse_rfc3339("2026-12-07T08:00:01Z");
  const auto m =
      reminder_mail(k_signer, "Tickler <t@example.com>", "ana@example.com", reminder(), now);
  EXPECT_EQ(m.subject, "Reminder: Pay <b>rent</b> & \"tea\"");
  EXPECT_NE(m.text.find("Due Mon 7 Dec 2026, 09:30 CET"), std::string::npos) << m.text;
  EXPECT_NE(m.html.find("Due Mon 7 Dec 2026, 09:30 CET"), std::string::npos);
  EXPECT_NE(m.html.find("Pay &lt;b&gt;rent&lt;/b&gt; &amp; &quot;tea&quot;"), std::string::npos);
  EXPECT_EQ(m.html.find("<b>rent"), std::string::npos);
  // One Message-ID per reminder × channel, whenever it is composed.
  EXPECT_EQ(m.message_id, "<t7-1796000000000.email@tickler.example>");
  EXPECT_EQ(reminder_mail(k_signer, "x", "y", reminder(), now + std::chrono::hours{1}).message_id,
            m.message_id);
  EXPECT_NE(m.text.find("Open: https://tickler.example/?task=7"), std::string::npos);
  // Four signed links in the text: done, snooze 10 min, 1 h, tomorrow; each with its own id.
  const auto tokens = links_in(m.text);
  ASSERT_EQ(tokens.size(), 4U) << m.text;
  std::vector<std::string> actions;
  std::set<std::string> ids;
  for (const auto& t : tokens) {
    auto c = auth::verify_link(k_signer.key, t, now);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->purpose, "task");
    EXPECT_EQ(c->user_id, 42);
    EXPECT_EQ(c->subject, "7");
    EXPECT_EQ(c->expires_at, now + k_signer.ttl);
    actions.push_back(c->action);
    ids.insert(c->id);
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"done", "snooze-10m", "snooze-1h", "snooze-tomorrow"}));
  EXPECT_EQ(ids.size(), 4U);
}

TEST(EmailContent, AReminderWithoutADueDateShowsItsTime) {
  auto r = reminder();
  r.due_at.reset();
  r.time_zone = "America/New_York";
  const auto m = reminder_mail(k_signer, "f", "t", r, core::now());
  EXPECT_NE(m.text.find("Reminder for Mon 7 Dec 2026, 03:00 EST"), std::string::npos) << m.text;
}

TEST(EmailContent, ConfirmationMailLinksToTheNotifiersConfirmation) {
  store::EmailChannel c;
  c.user_id = 42;
  c.address = "ana@example.com";
  const auto now = core::now();
  const auto m = confirmation_mail(k_signer, "f", c, now);
  EXPECT_EQ(m.to, "ana@example.com");
  const std::regex url{R"(https://tickler\.example/links/email/([A-Za-z0-9_.-]+))"};
  std::smatch match;
  ASSERT_TRUE(std::regex_search(m.text, match, url)) << m.text;
  auto claims = auth::verify_link(k_signer.key, match[1].str(), now);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->purpose, "email");
  EXPECT_EQ(claims->action, "confirm");
  EXPECT_EQ(claims->subject, "ana@example.com");
  EXPECT_EQ(message_id_host("http://127.0.0.1:8080"), "127.0.0.1");
  EXPECT_EQ(message_id_host(""), "tickler");
}

}  // namespace
}  // namespace tickler::services::notifier
