#include "services/notifier/push_content.hpp"

#include "core/local_time.hpp"

namespace tickler::services::notifier {

std::string_view push_urgency(std::string_view priority) {
  if (priority == "high") return "high";
  if (priority == "low") return "low";
  return "normal";
}

std::string task_url(const LinkSigner& signer, core::TaskId task) {
  return signer.public_url + "/?task=" + std::to_string(task);
}

boost::json::object reminder_push(const LinkSigner& signer, std::string_view purpose,
                                  const store::ReminderRow& r, std::string_view priority,
                                  std::string_view delivery_key, core::Instant now) {
  const auto task = std::to_string(r.task_id);
  const std::pair<const char*, const char*> kinds[] = {
      {"done", "Done"}, {"snooze-10m", "Snooze 10 min"}, {"snooze-1h", "Snooze 1 h"}};
  boost::json::array actions;
  for (const auto& [action, title] : kinds) {
    const auth::LinkClaims claims{std::string{purpose}, action,          r.user_id, task,
                                  auth::new_link_id(),  now + signer.ttl};
    actions.push_back(boost::json::object{
        {"action", action}, {"title", title}, {"url", link_url(signer, claims)}});
  }
  const std::string body = r.due_at
                               ? "Due " + core::local_time_text(*r.due_at, r.time_zone)
                               : "Reminder for " + core::local_time_text(r.remind_at, r.time_zone);
  boost::json::object o{{"type", "reminder"},
                        {"title", r.title},
                        {"body", body},
                        {"task_id", r.task_id},
                        {"remind_at", core::format_rfc3339(r.remind_at)},
                        {"priority", priority},
                        {"url", task_url(signer, r.task_id)},
                        {"actions", std::move(actions)},
                        {"delivery", delivery_key}};
  o["due_at"] = nullptr;
  if (r.due_at) o["due_at"] = core::format_rfc3339(*r.due_at);
  return o;
}

boost::json::object digest_push(const LinkSigner& signer, const DigestContent& digest,
                                std::string_view delivery_key) {
  // The body lists at most this many tasks, and fewer when their titles are long: the encrypted
  // message must fit one 4,096-byte record (RFC 8291) with its other members.
  constexpr std::size_t k_max_items = 4;
  constexpr std::size_t k_max_body = 1500;
  std::size_t overdue = 0;
  for (const auto& item : digest.items) overdue += item.overdue ? 1 : 0;
  const auto today = digest.items.size() - overdue;
  std::string title = "Today: " + std::to_string(today) + " due";
  if (overdue > 0) title += ", " + std::to_string(overdue) + " overdue";
  std::string body;
  std::size_t listed = 0;
  for (const auto& item : digest.items) {
    if (listed == k_max_items) break;
    const auto line = (item.overdue ? "Overdue: " : "") + item.title + " (" +
                      core::local_time_text(item.due_at, item.time_zone) + ")";
    if (body.size() + line.size() + 1 > k_max_body) break;
    if (!body.empty()) body += '\n';
    body += line;
    ++listed;
  }
  if (digest.items.empty()) body = "Nothing overdue, nothing due today.";
  if (listed < digest.items.size()) {
    body += "\n…and " + std::to_string(digest.items.size() - listed) + " more";
  }
  boost::json::object o{{"type", "digest"},
                        {"title", title},
                        {"body", body},
                        {"priority", "none"},
                        {"url", signer.public_url + "/"},
                        {"actions", boost::json::array{}},
                        {"delivery", delivery_key}};
  o["task_id"] = nullptr;
  o["remind_at"] = nullptr;
  o["due_at"] = nullptr;
  return o;
}

boost::json::object test_push(const LinkSigner& signer, std::string_view channel) {
  boost::json::object o{{"type", "test"},
                        {"title", "Tickler test"},
                        {"body", "Reminders will reach you here (" + std::string{channel} + ")."},
                        {"priority", "none"},
                        {"url", signer.public_url + "/"},
                        {"actions", boost::json::array{}}};
  o["task_id"] = nullptr;
  o["remind_at"] = nullptr;
  o["due_at"] = nullptr;
  return o;
}

}  // namespace tickler::services::notifier
