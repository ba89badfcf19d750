// Handlers of /api/notifications* (each item with its deliveries) and /api/me/webhook.
#include <sodium.h>

#include <boost/json.hpp>
#include <charconv>

#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "services/notifier/notifier_service.hpp"
#include "services/notifier/webhook_channel.hpp"
#include "wire/notification_events.hpp"

namespace tickler::services::notifier {
namespace {

using http::beast_http::status;
using http::beast_http::verb;

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

core::Error bad(std::string parameter, std::string problem) {
  return core::make_error(core::Errc::invalid_parameter, parameter + ": " + problem,
                          {{"parameter", parameter}, {"problem", problem}});
}

boost::json::object notification_json(const store::NotificationRow& n) {
  return wire::notification_to_json(
      {n.id, n.reminder_id, n.user_id, n.task_id, n.title, n.remind_at, n.fired_at}, n.read_at);
}

}  // namespace

void NotifierService::register_routes(http::Router& router) {
  router.add(verb::get, "/api/notifications", http::Access::tasks_read,
             std::bind_front(&NotifierService::list_notifications, this));
  router.add(verb::post, "/api/notifications/{id}/read", http::Access::tasks_write,
             std::bind_front(&NotifierService::mark_read, this));
  router.add(verb::get, "/api/me/webhook", http::Access::account,
             std::bind_front(&NotifierService::get_webhook, this));
  router.add(verb::put, "/api/me/webhook", http::Access::account,
             std::bind_front(&NotifierService::put_webhook, this));
  router.add(verb::delete_, "/api/me/webhook", http::Access::account,
             std::bind_front(&NotifierService::delete_webhook, this));
  register_delivery_routes(router);
  register_webhook_routes(router);
  register_control_routes(router);
}

core::Result<NotifierService::NotificationReceipts> NotifierService::read_notifications(
    core::UserId user, bool unread_only, int limit, std::optional<std::int64_t> before) {
  return store_.read_value([&](store::NotifierReader& r) -> core::Result<NotificationReceipts> {
    auto rows = r.notifications(user, unread_only, limit, before);
    if (!rows) return rows.error();
    NotificationReceipts out;
    out.reserve(rows->size());
    for (auto& n : *rows) {
      auto deliveries = r.reminder_deliveries(n.reminder_id);
      if (!deliveries) return deliveries.error();
      out.emplace_back(std::move(n), std::move(*deliveries));
    }
    return out;
  });
}

core::Result<bool> NotifierService::read_mark(core::UserId user, std::int64_t id) {
  return store_.write_value(
      [&](store::NotifierWriter& w) { return w.mark_notification_read(user, id, core::now()); });
}

core::Result<std::optional<store::Webhook>> NotifierService::read_webhook(core::UserId user) {
  return store_.read_value([&](store::NotifierReader& r) { return r.webhook(user); });
}

core::Result<store::Webhook> NotifierService::write_webhook(const store::Webhook& hook) {
  return store_.write_value([&](store::NotifierWriter& w) -> core::Result<store::Webhook> {
    if (auto st = w.set_webhook(hook); !st) return st.error();
    auto stored = w.webhook(hook.user_id);
    if (!stored) return stored.error();
    if (!*stored) return core::make_error(core::Errc::internal, "the webhook was not stored");
    return std::move(**stored);
  });
}

core::Status NotifierService::check_destination(const std::string& url) {
  return policy_.check_url(url, "url");
}

core::Status NotifierService::remove_webhook(core::UserId user) {
  return store_.write([&](store::NotifierWriter& w) { return w.delete_webhook(user); });
}

http::net::awaitable<http::Response> NotifierService::list_notifications(
    http::RequestContext& ctx) {
  bool unread = false;
  int limit = 50;
  std::optional<std::int64_t> before;
  for (const auto& [key, value] : ctx.query) {
    if (key == "unread") {
      if (value != "true" && value != "false")
        co_return http::error_response(bad("unread", "must be true or false"));
      unread = value == "true";
    } else if (key == "limit") {
      const auto n = to_int(value);
      if (!n || *n < 1 || *n > 200)
        co_return http::error_response(bad("limit", "must be 1 to 200"));
      limit = static_cast<int>(*n);
    } else if (key == "before") {
      before = to_int(value);
      if (!before) co_return http::error_response(bad("before", "must be a notification id"));
    } else {
      co_return http::error_response(bad(key, "unknown parameter"));
    }
  }
  auto rows = co_await offload_.call(&NotifierService::read_notifications, this, *ctx.user_id,
                                     unread, limit, before);
  if (!rows) co_return http::error_response(rows.error());
  boost::json::array items;
  for (const auto& [n, deliveries] : *rows) {
    auto item = notification_json(n);
    boost::json::array receipts;
    for (const auto& d : deliveries) receipts.push_back(delivery_json(d));
    item["deliveries"] = std::move(receipts);
    items.push_back(std::move(item));
  }
  boost::json::value next = nullptr;
  if (static_cast<int>(rows->size()) == limit) next = rows->back().first.id;
  co_return http::json_response(
      status::ok, boost::json::object{{"items", std::move(items)}, {"next_before", next}});
}

http::net::awaitable<http::Response> NotifierService::mark_read(http::RequestContext& ctx) {
  const auto id = to_int(ctx.path_params.at("id"));
  if (!id || *id <= 0) {
    co_return http::error_response(
        core::make_error(core::Errc::not_found, "notification not found"));
  }
  auto ok = co_await offload_.call(&NotifierService::read_mark, this, *ctx.user_id, *id);
  if (!ok) co_return http::error_response(ok.error());
  if (!*ok) {
    co_return http::error_response(
        core::make_error(core::Errc::not_found, "notification not found"));
  }
  co_return http::json_response(status::ok, boost::json::object{{"id", *id}, {"read", true}});
}

http::net::awaitable<http::Response> NotifierService::get_webhook(http::RequestContext& ctx) {
  auto hook = co_await offload_.call(&NotifierService::read_webhook, this, *ctx.user_id);
  if (!hook) co_return http::error_response(hook.error());
  if (!*hook)
    co_return http::error_response(core::make_error(core::Errc::not_found, "no webhook set"));
  co_return http::json_response(status::ok, webhook_json(**hook, false));
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224); Asio allocates and frees the frame
// with one matching pair.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<http::Response> NotifierService::put_webhook(http::RequestContext& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  http::JsonFields f{*body};
  if (auto st = f.only({"url", "secret"}); !st) co_return http::error_response(st.error());
  auto url = f.required_string("url");
  if (!url) co_return http::error_response(url.error());
  auto parsed = http::parse_url_target(*url);
  if (url->size() > 2000 || !parsed) {
    co_return http::error_response(
        core::field_error("url", "must be an absolute https:// or http:// URL"));
  }
  // The destination policy, on what the host resolves to now (and again at every delivery).
  auto allowed = co_await lookups_.call(&NotifierService::check_destination, this, *url);
  if (!allowed) co_return http::error_response(allowed.error());
  auto secret = f.string("secret");
  if (!secret) co_return http::error_response(secret.error());
  store::Webhook hook{*ctx.user_id, *url, secret->value_or(""), core::now()};
  if (hook.secret.empty()) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char hex[sizeof raw * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    hook.secret = hex;
  } else if (hook.secret.size() < 16 || hook.secret.size() > 256) {
    co_return http::error_response(core::field_error("secret", "must be 16–256 characters"));
  }
  auto stored = co_await offload_.call(&NotifierService::write_webhook, this, hook);
  if (!stored) co_return http::error_response(stored.error());
  co_return http::json_response(status::ok, webhook_json(*stored, true));
}
#pragma GCC diagnostic pop

http::net::awaitable<http::Response> NotifierService::delete_webhook(http::RequestContext& ctx) {
  auto st = co_await offload_.call(&NotifierService::remove_webhook, this, *ctx.user_id);
  if (!st) co_return http::error_response(st.error());
  co_return http::empty_response(status::no_content);
}

}  // namespace tickler::services::notifier
