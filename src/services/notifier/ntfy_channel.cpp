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

core::Result<std::optional<Attempt>> NtfyChannel::attempt_to(
    store::NotifierReader& reader, core::UserId user,
    std::function<core::Result<boost::json::object>()> message) {
  auto c = reader.ntfy_channel(user);
  if (!c) return c.error();
  if (!*c) return std::optional<Attempt>{};
  auto target = http::parse_url_target((*c)->server + "/");
  std::string host = target ? target->host : (*c)->server;
  for (auto& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  Attempt attempt;
  attempt.destination = std::move(host);
  attempt.send = [this, channel = **c, message = std::move(message)] {
    auto m = message();
    if (!m) return Outcome::retry(m.error().message);
    return ntfy_.send(channel, *m);
  };
  return std::optional<Attempt>{std::move(attempt)};
}

core::Result<std::optional<Attempt>> NtfyChannel::prepare(store::NotifierReader& reader,
                                                          const AttemptInput& input) {
  const auto& links = ntfy_.settings().links;
  if (input.digest) {
    return attempt_to(
        reader, input.reminder.user_id,
        [&links, load = input.digest, key = input.key()]() -> core::Result<boost::json::object> {
          auto content = load();
          if (!content) return content.error();
          return digest_push(links, *content, key);
        });
  }
  return attempt_to(reader, input.reminder.user_id,
                    [&links, reminder = input.reminder,
                     key = input.key()]() -> core::Result<boost::json::object> {
                      return reminder_push(links, "ntfy", reminder, reminder.priority, key,
                                           core::now());
                    });
}

core::Result<std::optional<Attempt>> NtfyChannel::test_attempt(store::NotifierReader& reader,
                                                               core::UserId user,
                                                               std::string_view record) {
  if (record != kind()) return std::optional<Attempt>{};
  const auto& links = ntfy_.settings().links;
  return attempt_to(reader, user, [&links]() -> core::Result<boost::json::object> {
    return test_push(links, "ntfy");
  });
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
