// Handlers of a user's webhooks: /api/me/channels/webhooks[/{id}] (several, each selecting its
// events); /api/me/webhook (notifier_handlers.cpp) is the first of them.
#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "services/notifier/notifier_service.hpp"
#include "services/notifier/webhook_channel.hpp"

namespace tickler::services::notifier {
namespace {

using http::beast_http::status;
using http::beast_http::verb;

constexpr std::size_t k_max_webhooks = 10;

core::Error no_webhook() {
  return core::make_error(core::Errc::not_found, "no such webhook");
}

std::optional<std::int64_t> webhook_id(const http::RequestContext& ctx) {
  const auto& text = ctx.path_params.at("id");
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || ptr != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::string generated_secret() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return hex;
}

// The url's shape (the destination policy is checked apart, off the I/O thread).
core::Status check_url_shape(const std::string& url) {
  auto parsed = http::parse_url_target(url);
  if (url.size() > 2000 || !parsed) {
    return core::field_error("url", "must be an absolute https:// or http:// URL");
  }
  return {};
}

core::Status check_secret(const std::string& secret) {
  if (secret.size() < 16 || secret.size() > 256) {
    return core::field_error("secret", "must be 16–256 characters");
  }
  return {};
}

// events: a non-empty array of distinct known event names.
core::Result<std::vector<std::string>> read_events(const boost::json::value& v) {
  const auto bad = [] {
    std::string known;
    for (auto e : k_webhook_events) known += (known.empty() ? "" : ", ") + std::string{e};
    return core::field_error("events",
                             "must be a non-empty array of distinct events among: " + known);
  };
  if (!v.is_array() || v.as_array().empty()) return bad();
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) {
    if (!e.is_string() || std::find(k_webhook_events.begin(), k_webhook_events.end(),
                                    std::string_view{e.as_string()}) == k_webhook_events.end()) {
      return bad();
    }
    const std::string name{e.as_string()};
    if (std::find(out.begin(), out.end(), name) != out.end()) return bad();
    out.push_back(name);
  }
  return out;
}

}  // namespace

void NotifierService::register_webhook_routes(http::Router& router) {
  router.add(verb::get, "/api/me/channels/webhooks", http::Access::account,
             std::bind_front(&NotifierService::list_webhooks, this));
  router.add(verb::post, "/api/me/channels/webhooks", http::Access::account,
             std::bind_front(&NotifierService::create_webhook, this));
  router.add(verb::get, "/api/me/channels/webhooks/{id}", http::Access::account,
             std::bind_front(&NotifierService::get_webhook_by_id, this));
  router.add(verb::patch, "/api/me/channels/webhooks/{id}", http::Access::account,
             std::bind_front(&NotifierService::patch_webhook, this));
  router.add(verb::delete_, "/api/me/channels/webhooks/{id}", http::Access::account,
             std::bind_front(&NotifierService::delete_webhook_by_id, this));
}

core::Result<std::vector<store::Webhook>> NotifierService::read_webhooks(core::UserId user) {
  return store_.read_value([&](store::NotifierReader& r) { return r.webhooks(user); });
}

core::Result<std::optional<std::int64_t>> NotifierService::add_webhook(store::Webhook hook) {
  return store_.write_value(
      [&](store::NotifierWriter& w) -> core::Result<std::optional<std::int64_t>> {
        auto hooks = w.webhooks(hook.user_id);
        if (!hooks) return hooks.error();
        if (hooks->size() >= k_max_webhooks) return std::optional<std::int64_t>{};
        auto id = w.insert_webhook(hook);
        if (!id) return id.error();
        return std::optional<std::int64_t>{*id};
      });
}

core::Result<bool> NotifierService::change_webhook(const store::Webhook& hook) {
  return store_.write_value([&](store::NotifierWriter& w) { return w.update_webhook(hook); });
}

core::Result<bool> NotifierService::remove_webhook_by_id(core::UserId user, std::int64_t id) {
  return store_.write_value(
      [&](store::NotifierWriter& w) { return w.delete_webhook_by_id(user, id); });
}

http::net::awaitable<http::Response> NotifierService::list_webhooks(http::RequestContext& ctx) {
  auto hooks = co_await offload_.call(&NotifierService::read_webhooks, this, *ctx.user_id);
  if (!hooks) co_return http::error_response(hooks.error());
  boost::json::array items;
  for (const auto& h : *hooks) items.push_back(webhook_json(h, false));
  co_return http::json_response(status::ok, boost::json::object{{"items", std::move(items)}});
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224); Asio allocates and frees the frame
// with one matching pair.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<http::Response> NotifierService::create_webhook(http::RequestContext& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  http::JsonFields f{*body};
  if (auto st = f.only({"url", "secret", "events"}); !st)
    co_return http::error_response(st.error());
  auto url = f.required_string("url");
  if (!url) co_return http::error_response(url.error());
  if (auto st = check_url_shape(*url); !st) co_return http::error_response(st.error());
  auto secret = f.string("secret");
  if (!secret) co_return http::error_response(secret.error());
  store::Webhook hook{*ctx.user_id, *url, secret->value_or(""), core::now()};
  if (hook.secret.empty()) {
    hook.secret = generated_secret();
  } else if (auto st = check_secret(hook.secret); !st) {
    co_return http::error_response(st.error());
  }
  if (const auto* events = body->if_contains("events")) {
    auto read = read_events(*events);
    if (!read) co_return http::error_response(read.error());
    hook.events = std::move(*read);
  }
  auto allowed = co_await lookups_.call(&NotifierService::check_destination, this, *url);
  if (!allowed) co_return http::error_response(allowed.error());
  auto id = co_await offload_.call(&NotifierService::add_webhook, this, hook);
  if (!id) co_return http::error_response(id.error());
  if (!*id) {
    auto full = core::make_error(
        core::Errc::conflict, "at most " + std::to_string(k_max_webhooks) + " webhooks per user");
    full.code_name = "too_many_webhooks";
    co_return http::error_response(full);
  }
  hook.id = **id;
  auto response = http::json_response(status::created, webhook_json(hook, true));
  response.set(http::beast_http::field::location,
               "/api/me/channels/webhooks/" + std::to_string(hook.id));
  co_return response;
}

http::net::awaitable<http::Response> NotifierService::patch_webhook(http::RequestContext& ctx) {
  const auto id = webhook_id(ctx);
  if (!id) co_return http::error_response(no_webhook());
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  http::JsonFields f{*body};
  if (auto st = f.only({"url", "secret", "events"}); !st)
    co_return http::error_response(st.error());
  auto hooks = co_await offload_.call(&NotifierService::read_webhooks, this, *ctx.user_id);
  if (!hooks) co_return http::error_response(hooks.error());
  auto it = std::find_if(hooks->begin(), hooks->end(), [&](const auto& h) { return h.id == *id; });
  if (it == hooks->end()) co_return http::error_response(no_webhook());
  store::Webhook hook = *it;
  auto url = f.string("url");
  if (!url) co_return http::error_response(url.error());
  if (*url) {
    if (auto st = check_url_shape(**url); !st) co_return http::error_response(st.error());
    auto allowed = co_await lookups_.call(&NotifierService::check_destination, this, **url);
    if (!allowed) co_return http::error_response(allowed.error());
    hook.url = **url;
  }
  auto secret = f.string("secret");
  if (!secret) co_return http::error_response(secret.error());
  if (*secret) {
    if (auto st = check_secret(**secret); !st) co_return http::error_response(st.error());
    hook.secret = **secret;
  }
  if (const auto* events = body->if_contains("events")) {
    auto read = read_events(*events);
    if (!read) co_return http::error_response(read.error());
    hook.events = std::move(*read);
  }
  auto changed = co_await offload_.call(&NotifierService::change_webhook, this, hook);
  if (!changed) co_return http::error_response(changed.error());
  if (!*changed) co_return http::error_response(no_webhook());
  co_return http::json_response(status::ok, webhook_json(hook, false));
}
#pragma GCC diagnostic pop

http::net::awaitable<http::Response> NotifierService::get_webhook_by_id(http::RequestContext& ctx) {
  const auto id = webhook_id(ctx);
  if (!id) co_return http::error_response(no_webhook());
  auto hooks = co_await offload_.call(&NotifierService::read_webhooks, this, *ctx.user_id);
  if (!hooks) co_return http::error_response(hooks.error());
  for (const auto& h : *hooks) {
    if (h.id == *id) co_return http::json_response(status::ok, webhook_json(h, false));
  }
  co_return http::error_response(no_webhook());
}

http::net::awaitable<http::Response> NotifierService::delete_webhook_by_id(
    http::RequestContext& ctx) {
  const auto id = webhook_id(ctx);
  if (!id) co_return http::error_response(no_webhook());
  auto removed =
      co_await offload_.call(&NotifierService::remove_webhook_by_id, this, *ctx.user_id, *id);
  if (!removed) co_return http::error_response(removed.error());
  if (!*removed) co_return http::error_response(no_webhook());
  co_return http::empty_response(status::no_content);
}

}  // namespace tickler::services::notifier
