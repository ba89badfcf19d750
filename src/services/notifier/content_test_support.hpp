#pragma once
// What the message-content tests (email_content, push_content) share: a link signer with a fixed
// key and a reminder of task 7 due in Europe/Paris. Test code only.
#include <chrono>
#include <string>
#include <utility>

#include "auth/signed_link.hpp"
#include "core/time.hpp"
#include "services/notifier/email_content.hpp"
#include "store/notifier.hpp"

namespace tickler::services::notifier::content_testing {

inline const LinkSigner k_signer{"https://tickler.example", auth::link_key(std::string(32, 's')),
                                 std::chrono::hours{24 * 7}};

inline store::ReminderRow reminder_of(std::string title) {
  store::ReminderRow r;
  r.id = "t7-1796000000000";
  r.task_id = 7;
  r.user_id = 42;
  r.title = std::move(title);
  r.due_at = *core::parse_rfc3339("2026-12-07T08:30:00Z");
  r.remind_at = *core::parse_rfc3339("2026-12-07T08:00:00Z");
  r.time_zone = "Europe/Paris";
  return r;
}

}  // namespace tickler::services::notifier::content_testing
