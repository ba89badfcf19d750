#pragma once
// The Web Push channel's settings, key and routes in the notifier, and its blocking send.
//
// The instance's VAPID key (RFC 8292) is made once: `tickler serve` keeps it in its database
// (instance key "vapid-private-key", created on the first start); the notifier role is given it
// (the Dapr secret store's `vapid-private-key`, a PEM the Helm chart creates once). Without a key
// push is off (503 push_not_configured). Routes: GET /api/me/channels/push/vapid-key, and a
// user's subscriptions (at most 10, one per endpoint, each endpoint under the destination policy;
// https only unless private destinations are allowed): POST/GET /api/me/channels/push,
// DELETE /api/me/channels/push/{id}.
//
// A message (send) is the JSON of push_content.hpp encrypted for the subscription (aes128gcm,
// RFC 8291) and POSTed to its endpoint with `Authorization: vapid t=<ES256 JWT>, k=<key>`, TTL,
// Urgency and Topic (the record's key, so a resend replaces a copy the service still holds).
// 2xx: delivered; 404/410: the subscription is gone — removed, and the delivery fails for good;
// 429 and 5xx: retried (after Retry-After when the service says so); other answers: failed.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "auth/web_push.hpp"
#include "base/offload.hpp"
#include "http/destination.hpp"
#include "http/router.hpp"
#include "services/notifier/channel.hpp"
#include "services/notifier/email_content.hpp"
#include "store/store.hpp"

namespace tickler::services::notifier {

// The instance key under which tickler serve keeps its VAPID key.
inline constexpr std::string_view k_vapid_key_name = "vapid-private-key";

struct PushSettings {
  // nullopt: the key is kept in the database (made on the first start); a PEM: that key (the
  // roles, from the secret store); "": none, push is off.
  std::optional<std::string> key_pem;
  std::string subject;  // the JWT's sub (mailto: or https:); empty: the public URL, else mailto:
  LinkSigner links;     // the action links (purpose "push")
  std::chrono::milliseconds timeout{5000};  // one attempt (--webhook-timeout-ms)
  std::string ca_file;                      // extra CAs (PEM) for push services
  std::chrono::seconds ttl{24 * 3600};      // how long a push service keeps an undelivered one
  http::DestinationSettings destinations;   // where endpoints may be
  int max_subscriptions = 10;               // per user
};

class PushService {
 public:
  PushService(PushSettings settings, store::Store& store, base::Offload& offload);

  // Loads the key (or makes and keeps it: settings.key_pem nullopt). Blocking; at start.
  core::Status start();
  [[nodiscard]] bool enabled() const;
  void register_routes(http::Router& router);

  // Sends `message` (JSON) to one subscription (blocking: one HTTP exchange) and answers the
  // outcome; removes the subscription when its push service says it is gone (404/410).
  [[nodiscard]] Outcome send(const store::PushSubscription& sub, const std::string& message,
                             std::string_view urgency, std::string_view topic) const;

  [[nodiscard]] const PushSettings& settings() const { return settings_; }
  [[nodiscard]] const http::DestinationPolicy& policy() const { return policy_; }

 private:
  http::net::awaitable<http::Response> get_key(http::RequestContext& ctx);
  http::net::awaitable<http::Response> list(http::RequestContext& ctx);
  http::net::awaitable<http::Response> subscribe(http::RequestContext& ctx);
  http::net::awaitable<http::Response> unsubscribe(http::RequestContext& ctx);
  core::Result<std::vector<store::PushSubscription>> read(core::UserId user) const;
  // The existing subscription of this endpoint (false) or the new one (true).
  core::Result<std::pair<store::PushSubscription, bool>> add(store::PushSubscription sub);
  core::Result<bool> remove(core::UserId user, std::int64_t id) const;
  core::Status check_endpoint(const std::string& url) const;

  PushSettings settings_;
  store::Store& store_;
  base::Offload& offload_;
  http::DestinationPolicy policy_;
  mutable std::mutex mutex_;
  std::optional<auth::VapidKey> key_;  // set by start()
  base::Offload lookups_{2};           // name lookups of endpoints being saved
};

// Whether a user's http:// (not https://) URL may be saved: only where the operator allows
// private destinations, or allows the URL's host, an address literal, by a range (tests'
// loopback, an on-premises server). Everything public must be https.
[[nodiscard]] bool plain_http_allowed(const http::DestinationSettings& settings,
                                      std::string_view url);

// A subscription as the API shows it: {id, endpoint, user_agent, created_at}.
[[nodiscard]] boost::json::object push_subscription_json(const store::PushSubscription& sub);

}  // namespace tickler::services::notifier
