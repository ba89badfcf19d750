#pragma once
// The ntfy channel's settings, routes and blocking send in the notifier. A user names an ntfy
// server (its base URL, under the destination policy), a topic and optionally an access token:
// PUT/GET/DELETE /api/me/channels/ntfy. A message (send) is one JSON publish to the server's
// root (POST <server>/ {topic, title, message, priority, tags, click, actions}), with
// `Authorization: Bearer <token>` when a token is set; its Done / Snooze buttons are ntfy "http"
// actions POSTing signed one-use links (purpose "ntfy": the audit actor "ntfy").
//
// Priority (ntfy's 1–5): high → 5 (max: urgent), medium → 4, none → 3 (default), low → 2.
// 2xx: sent (ntfy took it; whether a phone showed it, ntfy does not say); 429 and 5xx: retried
// (after Retry-After when given); 401/403 (token refused) and other 4xx: failed.
// ntfy has no idempotency key for publishing: a notifier that dies after ntfy took the message
// and before the record was written publishes it again after the lease (at least once).
#include <chrono>
#include <optional>
#include <string>

#include "base/offload.hpp"
#include "http/destination.hpp"
#include "http/router.hpp"
#include "services/notifier/channel.hpp"
#include "services/notifier/email_content.hpp"
#include "store/store.hpp"

namespace tickler::services::notifier {

struct NtfySettings {
  LinkSigner links;                         // the action links (purpose "ntfy")
  std::chrono::milliseconds timeout{5000};  // one attempt (--webhook-timeout-ms)
  std::string ca_file;
  http::DestinationSettings destinations;
};

// ntfy's priority (1–5) of a task priority.
[[nodiscard]] int ntfy_priority(std::string_view priority);

// The JSON publish of a push message (push_content.hpp's JSON) to `topic`.
[[nodiscard]] boost::json::object ntfy_publish(const boost::json::object& message,
                                               const std::string& topic);

class NtfyService {
 public:
  NtfyService(NtfySettings settings, store::Store& store, base::Offload& offload)
      : settings_(std::move(settings)),
        store_(store),
        offload_(offload),
        policy_(settings_.destinations) {}

  void register_routes(http::Router& router);
  // Publishes `message` (push_content.hpp's JSON) to the user's topic (blocking).
  [[nodiscard]] Outcome send(const store::NtfyChannel& channel,
                             const boost::json::object& message) const;
  [[nodiscard]] const NtfySettings& settings() const { return settings_; }

 private:
  http::net::awaitable<http::Response> get_channel(http::RequestContext& ctx);
  http::net::awaitable<http::Response> put_channel(http::RequestContext& ctx);
  http::net::awaitable<http::Response> delete_channel(http::RequestContext& ctx);
  core::Result<std::optional<store::NtfyChannel>> read(core::UserId user) const;
  core::Status write(const store::NtfyChannel& channel) const;
  core::Status remove(core::UserId user) const;
  core::Status check_server(const std::string& url) const;

  NtfySettings settings_;
  store::Store& store_;
  base::Offload& offload_;
  http::DestinationPolicy policy_;
  base::Offload lookups_{2};
};

// The channel as the API shows it: {channel, server, topic, has_token, created_at}.
[[nodiscard]] boost::json::object ntfy_channel_json(const store::NtfyChannel& c);

}  // namespace tickler::services::notifier
