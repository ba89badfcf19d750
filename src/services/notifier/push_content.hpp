#pragma once
// What a push message says (pure: no store, no HTTP), the same for Web Push and ntfy: the JSON of
// a reminder, a digest or a test — {type, title, body, task_id, remind_at, due_at, priority, url
// (the task in the web UI), actions: [{action, title, url}], delivery (the record's key)} — where
// each action's url is a signed one-use link (auth/signed_link) that acts on POST with the
// channel's audit actor (purpose "push" → /links/push/<token>, "ntfy" → /links/ntfy/<token>).
// With no public URL the links are relative ("/links/push/…"): the service worker fetches them
// on its own origin.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "services/notifier/digest.hpp"
#include "services/notifier/email_content.hpp"
#include "store/notifier.hpp"

namespace tickler::services::notifier {

// The task priorities a reminder may carry: high | medium | low | none.
// Web Push's Urgency header (RFC 8030 §5.3) of a priority: high → high, low → low, else normal.
[[nodiscard]] std::string_view push_urgency(std::string_view priority);

// The message of a fired reminder; `purpose` names the channel's links ("push" or "ntfy").
[[nodiscard]] boost::json::object reminder_push(const LinkSigner& signer, std::string_view purpose,
                                                const store::ReminderRow& reminder,
                                                std::string_view priority,
                                                std::string_view delivery_key, core::Instant now);

// The daily digest's message: type "digest", no task, no actions; the title counts the tasks
// overdue and due today, the body names the first few (bounded, so the message fits one push
// record); url opens the web UI.
[[nodiscard]] boost::json::object digest_push(const LinkSigner& signer, const DigestContent& digest,
                                              std::string_view delivery_key);

// A test message ("send a test"): type "test", no task, no actions.
[[nodiscard]] boost::json::object test_push(const LinkSigner& signer, std::string_view channel);

// The web UI's page of a task: <public-url>/?task=<id>.
[[nodiscard]] std::string task_url(const LinkSigner& signer, core::TaskId task);

}  // namespace tickler::services::notifier
