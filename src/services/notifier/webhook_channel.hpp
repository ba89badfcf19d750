#pragma once
// The webhook channel: a fired reminder is POSTed (libcurl, http or https: the certificate
// verified against the system CAs and WebhookSettings::ca_file), signed (X-Tickler-Signature:
// sha256=HMAC of the body with the webhook's secret), to the user's webhook, only to addresses
// the DestinationPolicy allows (checked on each address connected to; IPv4 and IPv6). Every attempt
// of one reminder × webhook carries the same X-Tickler-Delivery key, on which receivers dedupe (a
// webhook is at least once: a notifier killed after the receiver answered and before the record was
// written sends it again). A 2xx answer is "delivered"; anything else is retried, until the core's
// attempts run out.
#include <array>
#include <chrono>
#include <string>

#include "http/destination.hpp"
#include "services/notifier/channel.hpp"

namespace tickler::services::notifier {

// The events a webhook may select.
inline constexpr std::string_view k_reminder_fired = "reminder.fired";
inline constexpr std::array<std::string_view, 5> k_webhook_events{
    k_reminder_fired, "task.created", "task.updated", "task.completed", "task.deleted"};

// A webhook as the API shows it: {id, url, events, created_at} (+ secret when just set).
[[nodiscard]] boost::json::object webhook_json(const store::Webhook& h, bool with_secret);

struct WebhookSettings {
  std::chrono::milliseconds timeout{5000};  // one attempt, connection to answer
  std::string ca_file;                      // extra trusted CAs (PEM); empty: the system's
};

class WebhookChannel final : public Channel {
 public:
  // policy must outlive the channel.
  WebhookChannel(WebhookSettings settings, const http::DestinationPolicy& policy)
      : settings_(std::move(settings)), policy_(policy) {}

  // The records of the user's first webhook (the one /api/me/webhook sets) are "webhook"; of
  // the others, webhook:<id>.
  [[nodiscard]] static std::string record_name(std::int64_t webhook_id);

  [[nodiscard]] std::string_view kind() const override { return "webhook"; }
  core::Result<std::vector<std::string>> records(store::NotifierReader& reader,
                                                 const store::ReminderRow& reminder) override;
  core::Result<std::optional<Attempt>> prepare(store::NotifierReader& reader,
                                               const AttemptInput& input) override;
  core::Result<std::vector<boost::json::object>> describe(store::NotifierReader& reader,
                                                          core::UserId user) override;
  core::Result<std::vector<std::string>> event_records(store::NotifierReader& reader,
                                                       core::UserId user,
                                                       std::string_view event) override;
  core::Result<std::optional<Attempt>> prepare_event(store::NotifierReader& reader,
                                                     const store::Delivery& delivery) override;
  // POSTs {type: "test", user_id, sent_at} (X-Tickler-Event: test, a fresh X-Tickler-Delivery
  // key) to webhook:<id> (any of the user's webhooks) or "webhook" (the first).
  core::Result<std::optional<Attempt>> test_attempt(store::NotifierReader& reader,
                                                    core::UserId user,
                                                    std::string_view record) override;

 private:
  // A signed POST of payload to hook, under key, as event.
  [[nodiscard]] Attempt post(const store::Webhook& hook, std::string key, std::string event,
                             std::string payload) const;

  WebhookSettings settings_;
  const http::DestinationPolicy& policy_;
};

}  // namespace tickler::services::notifier
