#include "services/notifier/ntfy_channel.hpp"

#include <cctype>

#include "http/destination.hpp"
#include "services/notifier/push_content.hpp"

namespace tickler::services::notifier {

core::Result<std::vector<std::string>> NtfyChannel::records(store::NotifierReader& reader,
                                                            const store::ReminderRow& reminder) {
  std::vector<std::string> out;
  auto c = reader.ntfy_channel(reminder.user_id);
  if (!c) return c.error();
  if (*c) out.emplace_back(kind());
  return out;
}

core::Result<std::optional<Attempt>> NtfyChannel::prepare(store::NotifierReader& reader,
                                                          const AttemptInput& input) {
  auto c = reader.ntfy_channel(input.reminder.user_id);
  if (!c) return c.error();
  if (!*c) return std::optional<Attempt>{};
  auto target = http::parse_url_target((*c)->server + "/");
  std::string host = target ? target->host : (*c)->server;
  for (auto& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  Attempt attempt;
  attempt.destination = std::move(host);
  attempt.send = [this, channel = **c, reminder = input.reminder, key = input.key()] {
    // Priority: reminders do not carry their task's priority yet ("none": ntfy's default, 3).
    return ntfy_.send(
        channel, reminder_push(ntfy_.settings().links, "ntfy", reminder, "none", key, core::now()));
  };
  return std::optional<Attempt>{std::move(attempt)};
}

core::Result<std::vector<boost::json::object>> NtfyChannel::describe(store::NotifierReader& reader,
                                                                     core::UserId user) {
  std::vector<boost::json::object> out;
  auto c = reader.ntfy_channel(user);
  if (!c) return c.error();
  if (*c) {
    auto o = ntfy_channel_json(**c);
    o["state"] = "on";
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace tickler::services::notifier
