#include "services/notifier/push_service.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "base/log.hpp"
#include "http/fetch.hpp"
#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "services/notifier/push_content.hpp"

namespace tickler::services::notifier {
namespace {

using http::beast_http::status;
using http::beast_http::verb;

core::Error not_configured() {
  auto e = core::make_error(core::Errc::unavailable,
                            "Web Push is not configured on this server (no VAPID key)");
  e.code_name = "push_not_configured";
  return e;
}

// Retry-After as delta-seconds (an HTTP-date is ignored: the core's backoff applies).
std::chrono::seconds retry_after_of(const std::string& value) {
  long long n = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || ptr != value.data() + value.size() || n < 0) {
    return std::chrono::seconds{0};
  }
  return std::chrono::seconds{n};
}

}  // namespace

bool plain_http_allowed(const http::DestinationSettings& settings, std::string_view url) {
  if (!url.starts_with("http://")) return false;
  if (settings.allow_private) return true;
  auto target = http::parse_url_target(url);
  if (!target) return false;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(target->host, ec);
  if (ec) return false;
  for (const auto& range : settings.allowed) {
    if (range.contains(address)) return true;
  }
  return false;
}

boost::json::object push_subscription_json(const store::PushSubscription& s) {
  return {{"id", s.id},
          {"channel", "push:" + std::to_string(s.id)},
          {"endpoint", s.endpoint},
          {"user_agent", s.user_agent},
          {"created_at", core::format_rfc3339(s.created_at)}};
}

PushService::PushService(PushSettings settings, store::Store& store, base::Offload& offload)
    : settings_(std::move(settings)),
      store_(store),
      offload_(offload),
      policy_(settings_.destinations) {
  if (settings_.subject.empty()) {
    settings_.subject = settings_.links.public_url.starts_with("https://")
                            ? settings_.links.public_url
                            : std::string{"mailto:tickler@localhost"};
  }
}

core::Status PushService::start() {
  std::string pem;
  if (settings_.key_pem) {
    if (settings_.key_pem->empty()) return {};  // push is off
    pem = *settings_.key_pem;
  } else {
    // Made once: the first notifier to start keeps its key; every later start reads it.
    auto kept = store_.write_value([&](store::NotifierWriter& w) -> core::Result<std::string> {
      auto old = w.instance_key(k_vapid_key_name);
      if (!old) return old.error();
      if (*old) return **old;
      auto fresh = auth::VapidKey::generate();
      if (!fresh) return fresh.error();
      if (auto st = w.insert_instance_key(k_vapid_key_name, fresh->pem(), core::now()); !st) {
        return st.error();
      }
      return fresh->pem();
    });
    if (!kept) return kept.error();
    pem = std::move(*kept);
  }
  auto key = auth::VapidKey::from_pem(pem);
  if (!key) return key.error();
  std::lock_guard lock{mutex_};
  key_ = std::move(*key);
  return {};
}

bool PushService::enabled() const {
  std::lock_guard lock{mutex_};
  return key_.has_value();
}

void PushService::register_routes(http::Router& router) {
  router.add(verb::get, "/api/me/channels/push/vapid-key", http::Access::account,
             std::bind_front(&PushService::get_key, this));
  router.add(verb::get, "/api/me/channels/push", http::Access::account,
             std::bind_front(&PushService::list, this));
  router.add(verb::post, "/api/me/channels/push", http::Access::account,
             std::bind_front(&PushService::subscribe, this));
  router.add(verb::delete_, "/api/me/channels/push/{id}", http::Access::account,
             std::bind_front(&PushService::unsubscribe, this));
}

Outcome PushService::send(const store::PushSubscription& sub, const std::string& message,
                          std::string_view urgency, std::string_view topic) const {
  std::optional<auth::VapidKey> key;
  {
    std::lock_guard lock{mutex_};
    key = key_;
  }
  if (!key) return Outcome::retry("Web Push is not configured (no VAPID key)");
  auto target = auth::push_target(sub.p256dh, sub.auth);
  if (!target) return Outcome::failed(target.error().message);
  auto body = auth::encrypt_push_message(*target, message);
  if (!body) return Outcome::failed(body.error().message);
  const auto audience = auth::url_origin(sub.endpoint);
  if (!audience) return Outcome::failed("the endpoint is not an http(s) URL");
  auto authorization = key->authorization(*audience, settings_.subject, core::now());
  if (!authorization) return Outcome::retry(authorization.error().message);
  http::FetchHeaders headers{{"Content-Type", "application/octet-stream"},
                             {"Content-Encoding", "aes128gcm"},
                             {"TTL", std::to_string(settings_.ttl.count())},
                             {"Urgency", std::string{urgency}},
                             {"Authorization", *authorization}};
  if (!topic.empty()) headers.emplace_back("Topic", std::string{topic});
  http::FetchSettings fetch;
  fetch.timeout = settings_.timeout;
  fetch.max_bytes = 64 * 1024;
  fetch.ca_file = settings_.ca_file;
  auto res = http::post_under_policy(sub.endpoint, *body, headers, fetch, policy_);
  if (!res) return Outcome::retry(res.error().message);
  const auto code = res->status;
  const auto answer = "HTTP " + std::to_string(code);
  if (code >= 200 && code < 300) return Outcome::delivered();
  if (code == 404 || code == 410) {
    auto removed = remove(sub.user_id, sub.id);
    base::log_json(spdlog::level::info, "push subscription gone",
                   {{"user_id", sub.user_id},
                    {"id", sub.id},
                    {"status", code},
                    {"removed", removed && *removed}});
    return Outcome::failed(answer + ": the subscription has expired or was unsubscribed (removed)");
  }
  if (code == 429 || code >= 500) return Outcome::retry(answer, retry_after_of(res->retry_after));
  return Outcome::failed(answer);
}

core::Result<std::vector<store::PushSubscription>> PushService::read(core::UserId user) const {
  return store_.read_value([&](store::NotifierReader& r) { return r.push_subscriptions(user); });
}

core::Result<std::pair<store::PushSubscription, bool>> PushService::add(
    store::PushSubscription sub) {
  return store_.write_value(
      [&](store::NotifierWriter& w) -> core::Result<std::pair<store::PushSubscription, bool>> {
        auto subs = w.push_subscriptions(sub.user_id);
        if (!subs) return subs.error();
        for (const auto& s : *subs) {
          if (s.endpoint == sub.endpoint) return std::pair{s, false};
        }
        if (static_cast<int>(subs->size()) >= settings_.max_subscriptions) {
          auto e = core::make_error(core::Errc::conflict,
                                    "at most " + std::to_string(settings_.max_subscriptions) +
                                        " push subscriptions per user: remove one first");
          e.code_name = "too_many_push_subscriptions";
          return e;
        }
        auto id = w.insert_push_subscription(sub);
        if (!id) return id.error();
        auto stored = sub;
        stored.id = *id;
        return std::pair{stored, true};
      });
}

core::Result<bool> PushService::remove(core::UserId user, std::int64_t id) const {
  return store_.write_value(
      [&](store::NotifierWriter& w) { return w.delete_push_subscription(user, id); });
}

core::Status PushService::check_endpoint(const std::string& url) const {
  // https only: a push service is on the public internet. Plain http only where the operator
  // allows private destinations (tests, on-premises push services).
  if (!url.starts_with("https://") && !plain_http_allowed(settings_.destinations, url)) {
    return core::field_error("endpoint", "must be an https:// URL");
  }
  return policy_.check_url(url, "endpoint");
}

http::net::awaitable<http::Response> PushService::get_key(http::RequestContext&) {
  std::optional<auth::VapidKey> key;
  {
    std::lock_guard lock{mutex_};
    key = key_;
  }
  if (!key) co_return http::error_response(not_configured());
  co_return http::json_response(status::ok, boost::json::object{{"public_key", key->public_key()}});
}

http::net::awaitable<http::Response> PushService::list(http::RequestContext& ctx) {
  auto subs = co_await offload_.call(&PushService::read, this, *ctx.user_id);
  if (!subs) co_return http::error_response(subs.error());
  boost::json::array items;
  for (const auto& s : *subs) items.push_back(push_subscription_json(s));
  co_return http::json_response(status::ok, boost::json::object{{"items", std::move(items)}});
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<http::Response> PushService::subscribe(http::RequestContext& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  http::JsonFields f{*body};
  // expirationTime: part of the browser's PushSubscription JSON, not used.
  if (auto st = f.only({"endpoint", "keys", "user_agent", "expirationTime"}); !st) {
    co_return http::error_response(st.error());
  }
  auto endpoint = f.required_string("endpoint");
  if (!endpoint) co_return http::error_response(endpoint.error());
  const auto* keys = body->if_contains("keys");
  if (!keys || !keys->is_object()) {
    co_return http::error_response(core::field_error("keys", "must be {p256dh, auth}"));
  }
  http::JsonFields k{keys->as_object()};
  auto p256dh = k.required_string("p256dh");
  if (!p256dh) co_return http::error_response(core::field_error("keys.p256dh", "is required"));
  auto auth = k.required_string("auth");
  if (!auth) co_return http::error_response(core::field_error("keys.auth", "is required"));
  if (auto target = auth::push_target(*p256dh, *auth); !target) {
    co_return http::error_response(target.error());
  }
  auto agent = f.string("user_agent");
  if (!agent) co_return http::error_response(agent.error());
  std::string user_agent = agent->value_or("");
  if (!agent->has_value()) {
    if (auto it = ctx.request.find(http::beast_http::field::user_agent); it != ctx.request.end()) {
      user_agent = std::string{it->value()};
    }
  }
  if (user_agent.size() > 256) user_agent.resize(256);
  if (endpoint->size() > 2048) {
    co_return http::error_response(core::field_error("endpoint", "must be at most 2048 bytes"));
  }
  auto allowed = co_await lookups_.call(&PushService::check_endpoint, this, *endpoint);
  if (!allowed) co_return http::error_response(allowed.error());
  store::PushSubscription sub{0, *ctx.user_id, *endpoint, *p256dh, *auth, user_agent, core::now()};
  auto added = co_await offload_.call(&PushService::add, this, std::move(sub));
  if (!added) co_return http::error_response(added.error());
  co_return http::json_response(added->second ? status::created : status::ok,
                                push_subscription_json(added->first));
}
#pragma GCC diagnostic pop

http::net::awaitable<http::Response> PushService::unsubscribe(http::RequestContext& ctx) {
  const auto& text = ctx.path_params.at("id");
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || ptr != text.data() + text.size()) {
    co_return http::error_response(
        core::make_error(core::Errc::not_found, "no such push subscription"));
  }
  auto removed = co_await offload_.call(&PushService::remove, this, *ctx.user_id, id);
  if (!removed) co_return http::error_response(removed.error());
  if (!*removed) {
    co_return http::error_response(
        core::make_error(core::Errc::not_found, "no such push subscription"));
  }
  co_return http::empty_response(status::no_content);
}

}  // namespace tickler::services::notifier
