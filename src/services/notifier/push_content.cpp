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
