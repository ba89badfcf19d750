#include "services/notifier/webhook_channel.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "auth/digest.hpp"
#include "core/time.hpp"
#include "http/fetch.hpp"
#include "wire/notification_events.hpp"

namespace tickler::services::notifier {

core::Result<std::vector<std::string>> WebhookChannel::records(store::NotifierReader& reader,
                                                               const store::ReminderRow& reminder) {
  auto hook = reader.webhook(reminder.user_id);
  if (!hook) return hook.error();
  if (!*hook) return std::vector<std::string>{};
  return std::vector<std::string>{"webhook"};
}

core::Result<std::optional<Attempt>> WebhookChannel::prepare(store::NotifierReader& reader,
                                                             const AttemptInput& input) {
  auto hook = reader.webhook(input.reminder.user_id);
  if (!hook) return hook.error();
  if (!*hook) return std::optional<Attempt>{};
  const auto& r = input.reminder;
  // A delivery is per reminder: its body has no notification id.
  const wire::ReminderFired fired{
      0, r.id, r.user_id, r.task_id, r.title, r.remind_at, r.fired_at.value_or(core::now())};
  std::string payload = boost::json::serialize(fired.to_webhook_json());
  std::string host;
  auto target = http::parse_url_target((*hook)->url);
  host = target ? target->host : (*hook)->url;
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  Attempt attempt;
  attempt.destination = std::move(host);
  attempt.send = [this, url = (*hook)->url, secret = (*hook)->secret, key = input.key(),
                  payload = std::move(payload)]() -> Outcome {
    http::FetchSettings fetch;
    fetch.timeout = settings_.timeout;
    fetch.max_bytes = 64 * 1024;  // the answer is not used, only bounded
    fetch.ca_file = settings_.ca_file;
    auto res = http::post_under_policy(
        url, payload,
        {{"Content-Type", "application/json"},
         {"X-Tickler-Signature", "sha256=" + auth::hmac_sha256_hex(secret, payload)},
         {"X-Tickler-Event", "reminder.fired"},
         {"X-Tickler-Delivery", key}},
        fetch, policy_);
    if (res && res->status >= 200 && res->status < 300) return Outcome::delivered();
    return Outcome::retry(res ? "HTTP " + std::to_string(res->status) : res.error().message);
  };
  return std::optional<Attempt>{std::move(attempt)};
}

core::Result<std::vector<boost::json::object>> WebhookChannel::describe(
    store::NotifierReader& reader, core::UserId user) {
  auto hook = reader.webhook(user);
  if (!hook) return hook.error();
  std::vector<boost::json::object> out;
  if (*hook) {
    out.push_back({{"channel", "webhook"},
                   {"state", "on"},
                   {"url", (*hook)->url},
                   {"events", boost::json::array{"reminder.fired"}},
                   {"created_at", core::format_rfc3339((*hook)->created_at)}});
  }
  return out;
}

}  // namespace tickler::services::notifier
