#include "services/notifier/ntfy_service.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "http/fetch.hpp"
#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "services/notifier/push_content.hpp"
#include "services/notifier/push_service.hpp"

namespace tickler::services::notifier {
namespace {

using http::beast_http::status;
using http::beast_http::verb;

std::chrono::seconds retry_after_of(const std::string& value) {
  long long n = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || ptr != value.data() + value.size() || n < 0) {
    return std::chrono::seconds{0};
  }
  return std::chrono::seconds{n};
}

// ntfy's topic names: 1–64 of letters, digits, _ and -.
bool valid_topic(std::string_view t) {
  if (t.empty() || t.size() > 64) return false;
  for (char c : t) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

std::string without_trailing_slash(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  return url;
}

}  // namespace

int ntfy_priority(std::string_view priority) {
  if (priority == "high") return 5;
  if (priority == "medium") return 4;
  if (priority == "low") return 2;
  return 3;
}

boost::json::object ntfy_publish(const boost::json::object& m, const std::string& topic) {
  const auto text = [&](std::string_view key) -> std::string {
    const auto* v = m.if_contains(key);
    return v && v->is_string() ? std::string{v->as_string()} : std::string{};
  };
  boost::json::array actions;
  if (const auto* list = m.if_contains("actions"); list && list->is_array()) {
    for (const auto& a : list->as_array()) {
      const auto& o = a.as_object();
      actions.push_back(boost::json::object{{"action", "http"},
                                            {"label", o.at("title")},
                                            {"url", o.at("url")},
                                            {"method", "POST"},
                                            {"clear", true}});
    }
  }
  boost::json::object out{{"topic", topic},
                          {"title", text("title")},
                          {"message", text("body")},
                          {"priority", ntfy_priority(text("priority"))},
                          {"tags", boost::json::array{"alarm_clock"}},
                          {"actions", std::move(actions)}};
  if (const auto click = text("url"); click.starts_with("http")) out["click"] = click;
  return out;
}

boost::json::object ntfy_channel_json(const store::NtfyChannel& c) {
  return {{"channel", "ntfy"},
          {"server", c.server},
          {"topic", c.topic},
          {"has_token", !c.token.empty()},
          {"created_at", core::format_rfc3339(c.created_at)}};
}

void NtfyService::register_routes(http::Router& router) {
  router.add(verb::get, "/api/me/channels/ntfy", http::Access::account,
             std::bind_front(&NtfyService::get_channel, this));
  router.add(verb::put, "/api/me/channels/ntfy", http::Access::account,
             std::bind_front(&NtfyService::put_channel, this));
  router.add(verb::delete_, "/api/me/channels/ntfy", http::Access::account,
             std::bind_front(&NtfyService::delete_channel, this));
}

Outcome NtfyService::send(const store::NtfyChannel& channel,
                          const boost::json::object& message) const {
  const auto body = boost::json::serialize(ntfy_publish(message, channel.topic));
  http::FetchHeaders headers{{"Content-Type", "application/json"}};
  if (!channel.token.empty()) headers.emplace_back("Authorization", "Bearer " + channel.token);
  if (const auto* key = message.if_contains("delivery"); key && key->is_string()) {
    headers.emplace_back("X-Tickler-Delivery", std::string{key->as_string()});
  }
  http::FetchSettings fetch;
  fetch.timeout = settings_.timeout;
  fetch.max_bytes = 64 * 1024;
  fetch.ca_file = settings_.ca_file;
  auto res = http::post_under_policy(channel.server + "/", body, headers, fetch, policy_);
  if (!res) return Outcome::retry(res.error().message);
  const auto code = res->status;
  if (code >= 200 && code < 300) return Outcome::sent();
  const auto answer = "HTTP " + std::to_string(code);
  if (code == 429 || code >= 500) return Outcome::retry(answer, retry_after_of(res->retry_after));
  return Outcome::failed(code == 401 || code == 403 ? answer + ": the access token was refused"
                                                    : answer);
}

core::Result<std::optional<store::NtfyChannel>> NtfyService::read(core::UserId user) const {
  return store_.read_value([&](store::NotifierReader& r) { return r.ntfy_channel(user); });
}

core::Status NtfyService::write(const store::NtfyChannel& c) const {
  return store_.write([&](store::NotifierWriter& w) { return w.set_ntfy_channel(c); });
}

core::Status NtfyService::remove(core::UserId user) const {
  return store_.write([&](store::NotifierWriter& w) { return w.delete_ntfy_channel(user); });
}

core::Status NtfyService::check_server(const std::string& url) const {
  // https only, plain http where the operator allows private destinations (tests, a LAN server).
  if (!url.starts_with("https://") && !plain_http_allowed(settings_.destinations, url)) {
    return core::field_error("server", "must be an https:// URL");
  }
  if (auto target = http::parse_url_target(url); !target || target->target != "/") {
    return core::field_error("server", "must be the server's base URL, without a path");
  }
  return policy_.check_url(url, "server");
}

http::net::awaitable<http::Response> NtfyService::get_channel(http::RequestContext& ctx) {
  auto c = co_await offload_.call(&NtfyService::read, this, *ctx.user_id);
  if (!c) co_return http::error_response(c.error());
  if (!*c) {
    co_return http::error_response(core::make_error(core::Errc::not_found, "no ntfy topic set"));
  }
  co_return http::json_response(status::ok, ntfy_channel_json(**c));
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<http::Response> NtfyService::put_channel(http::RequestContext& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  http::JsonFields f{*body};
  if (auto st = f.only({"server", "topic", "token"}); !st) {
    co_return http::error_response(st.error());
  }
  auto server = f.required_string("server");
  if (!server) co_return http::error_response(server.error());
  auto topic = f.required_string("topic");
  if (!topic) co_return http::error_response(topic.error());
  auto token = f.string("token");
  if (!token) co_return http::error_response(token.error());
  if (!valid_topic(*topic)) {
    co_return http::error_response(
        core::field_error("topic", "must be 1–64 letters, digits, _ or -"));
  }
  if (token->value_or("").size() > 256) {
    co_return http::error_response(core::field_error("token", "must be at most 256 characters"));
  }
  const auto base = without_trailing_slash(*server);
  auto allowed = co_await lookups_.call(&NtfyService::check_server, this, base + "/");
  if (!allowed) co_return http::error_response(allowed.error());
  const store::NtfyChannel c{*ctx.user_id, base, *topic, token->value_or(""), core::now()};
  auto st = co_await offload_.call(&NtfyService::write, this, c);
  if (!st) co_return http::error_response(st.error());
  co_return http::json_response(status::ok, ntfy_channel_json(c));
}
#pragma GCC diagnostic pop

http::net::awaitable<http::Response> NtfyService::delete_channel(http::RequestContext& ctx) {
  auto st = co_await offload_.call(&NtfyService::remove, this, *ctx.user_id);
  if (!st) co_return http::error_response(st.error());
  co_return http::empty_response(status::no_content);
}

}  // namespace tickler::services::notifier
