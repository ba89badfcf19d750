#include "services/notifier/webhook_channel.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "auth/digest.hpp"
#include "core/time.hpp"
#include "http/fetch.hpp"
#include "wire/notification_events.hpp"

namespace tickler::services::notifier {
namespace {

bool selects(const store::Webhook& hook, std::string_view event) {
  return std::find(hook.events.begin(), hook.events.end(), event) != hook.events.end();
}

// The webhook a record is for: webhook:<id>, or "webhook": the user's first (the one
// /api/me/webhook sets) — unless that one has its own record of the reminder (the first was
// deleted and another is first now): then none, so that one is not sent the reminder twice.
core::Result<std::optional<store::Webhook>> webhook_of(store::NotifierReader& reader,
                                                       core::UserId user,
                                                       std::string_view reminder_id,
                                                       std::string_view record) {
  if (record == "webhook") {
    auto first = reader.webhook(user);
    if (!first || !*first) return first;
    auto records = reader.reminder_deliveries(reminder_id);
    if (!records) return records.error();
    for (const auto& d : *records) {
      if (d.channel == WebhookChannel::record_name((*first)->id)) {
        return std::optional<store::Webhook>{};
      }
    }
    return first;
  }
  std::int64_t id = 0;
  const auto digits = record.substr(std::min(record.size(), std::string_view{"webhook:"}.size()));
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc{} || ptr != digits.data() + digits.size()) {
    return std::optional<store::Webhook>{};
  }
  auto hooks = reader.webhooks(user);
  if (!hooks) return hooks.error();
  for (auto& h : *hooks) {
    if (h.id == id) return std::optional<store::Webhook>{std::move(h)};
  }
  return std::optional<store::Webhook>{};
}

std::string host_of(const std::string& url) {
  auto target = http::parse_url_target(url);
  std::string host = target ? target->host : url;
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return host;
}

}  // namespace

std::string WebhookChannel::record_name(std::int64_t webhook_id) {
  return "webhook:" + std::to_string(webhook_id);
}

core::Result<std::vector<std::string>> WebhookChannel::records(store::NotifierReader& reader,
                                                               const store::ReminderRow& reminder) {
  auto hooks = reader.webhooks(reminder.user_id);
  if (!hooks) return hooks.error();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < hooks->size(); ++i) {
    const auto& h = (*hooks)[i];
    if (!selects(h, k_reminder_fired)) continue;
    out.push_back(i == 0 ? std::string{"webhook"} : record_name(h.id));
  }
  return out;
}

Attempt WebhookChannel::post(const store::Webhook& hook, std::string key, std::string event,
                             std::string payload) const {
  Attempt attempt;
  attempt.destination = host_of(hook.url);
  attempt.send = [this, url = hook.url, secret = hook.secret, key = std::move(key),
                  event = std::move(event), payload = std::move(payload)]() -> Outcome {
    http::FetchSettings fetch;
    fetch.timeout = settings_.timeout;
    fetch.max_bytes = 64 * 1024;  // the answer is not used, only bounded
    fetch.ca_file = settings_.ca_file;
    auto res = http::post_under_policy(
        url, payload,
        {{"Content-Type", "application/json"},
         {"X-Tickler-Signature", "sha256=" + auth::hmac_sha256_hex(secret, payload)},
         {"X-Tickler-Event", event},
         {"X-Tickler-Delivery", key}},
        fetch, policy_);
    if (res && res->status >= 200 && res->status < 300) return Outcome::delivered();
    return Outcome::retry(res ? "HTTP " + std::to_string(res->status) : res.error().message);
  };
  return attempt;
}

core::Result<std::optional<Attempt>> WebhookChannel::prepare(store::NotifierReader& reader,
                                                             const AttemptInput& input) {
  const auto& r = input.reminder;
  auto hook = webhook_of(reader, r.user_id, r.id, input.delivery.channel);
  if (!hook) return hook.error();
  if (!*hook) return std::optional<Attempt>{};
  // A delivery is per reminder: its body has no notification id.
  const wire::ReminderFired fired{
      0, r.id, r.user_id, r.task_id, r.title, r.remind_at, r.fired_at.value_or(core::now())};
  return std::optional<Attempt>{post(**hook, input.key(), std::string{k_reminder_fired},
                                     boost::json::serialize(fired.to_webhook_json()))};
}

core::Result<std::vector<std::string>> WebhookChannel::event_records(store::NotifierReader& reader,
                                                                     core::UserId user,
                                                                     std::string_view event) {
  auto hooks = reader.webhooks(user);
  if (!hooks) return hooks.error();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < hooks->size(); ++i) {
    const auto& h = (*hooks)[i];
    if (selects(h, event)) out.push_back(i == 0 ? std::string{"webhook"} : record_name(h.id));
  }
  return out;
}

core::Result<std::optional<Attempt>> WebhookChannel::prepare_event(
    store::NotifierReader& reader, const store::Delivery& delivery) {
  if (!delivery.payload) return std::optional<Attempt>{};
  auto hook = webhook_of(reader, delivery.user_id, delivery.reminder_id, delivery.channel);
  if (!hook) return hook.error();
  if (!*hook) return std::optional<Attempt>{};
  // The body's type is tickler.task.<op>.v1; the header names the event as selected.
  std::string event = "task.event";
  if (auto parsed = boost::json::parse(*delivery.payload); parsed.is_object()) {
    if (const auto* type = parsed.as_object().if_contains("type"); type && type->is_string()) {
      std::string_view t = type->as_string();
      if (t.starts_with("tickler.") && t.ends_with(".v1")) {
        event = std::string{t.substr(8, t.size() - 8 - 3)};
      }
    }
  }
  return std::optional<Attempt>{
      post(**hook, AttemptInput::delivery_key(delivery), std::move(event), *delivery.payload)};
}

core::Result<std::optional<Attempt>> WebhookChannel::test_attempt(store::NotifierReader& reader,
                                                                  core::UserId user,
                                                                  std::string_view record) {
  auto hooks = reader.webhooks(user);
  if (!hooks) return hooks.error();
  for (std::size_t i = 0; i < hooks->size(); ++i) {
    const auto& h = (*hooks)[i];
    if (record != record_name(h.id) && !(i == 0 && record == "webhook")) continue;
    const auto now = core::now();
    const boost::json::object body{{"type", "test"},
                                   {"user_id", user},
                                   {"webhook_id", h.id},
                                   {"sent_at", core::format_rfc3339(now)}};
    return std::optional<Attempt>{
        post(h, "test:" + std::to_string(h.id) + ":" + std::to_string(core::to_millis(now)), "test",
             boost::json::serialize(body))};
  }
  return std::optional<Attempt>{};
}

core::Result<std::vector<boost::json::object>> WebhookChannel::describe(
    store::NotifierReader& reader, core::UserId user) {
  auto hooks = reader.webhooks(user);
  if (!hooks) return hooks.error();
  std::vector<boost::json::object> out;
  for (std::size_t i = 0; i < hooks->size(); ++i) {
    const auto& h = (*hooks)[i];
    auto o = webhook_json(h, false);
    o["channel"] = i == 0 ? std::string{"webhook"} : record_name(h.id);
    o["state"] = "on";
    out.push_back(std::move(o));
  }
  return out;
}

boost::json::object webhook_json(const store::Webhook& h, bool with_secret) {
  boost::json::array events;
  for (const auto& e : h.events) events.emplace_back(e);
  boost::json::object o{{"id", h.id},
                        {"url", h.url},
                        {"events", std::move(events)},
                        {"created_at", core::format_rfc3339(h.created_at)}};
  if (with_secret) o["secret"] = h.secret;
  return o;
}

}  // namespace tickler::services::notifier
