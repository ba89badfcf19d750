#include "services/notifier/email_service.hpp"

#include <boost/json.hpp>

#include "http/json_fields.hpp"
#include "http/link_page.hpp"
#include "http/response.hpp"

namespace tickler::services::notifier {
namespace {

using http::beast_http::status;
using http::beast_http::verb;

boost::json::object channel_json(const store::EmailChannel& c) {
  boost::json::object o{{"channel", "email"},
                        {"address", c.address},
                        {"state", c.confirmed ? "confirmed" : "unconfirmed"},
                        {"created_at", core::format_rfc3339(c.created_at)}};
  o["confirmed_at"] = nullptr;
  if (c.confirmed_at) o["confirmed_at"] = core::format_rfc3339(*c.confirmed_at);
  return o;
}

core::Error not_configured() {
  auto e = core::make_error(core::Errc::unavailable,
                            "email is not configured on this server (--smtp-url)");
  e.code_name = "email_not_configured";
  return e;
}

// The link's claims when it is a valid confirmation link, else the page saying why not.
core::Result<auth::LinkClaims> confirmation_claims(const EmailSettings& s,
                                                   const http::RequestContext& ctx) {
  auto claims = auth::verify_link(s.links.key, ctx.path_params.at("token"), core::now());
  if (!claims) return claims.error();
  if (claims->purpose != "email" || claims->action != "confirm") {
    auto e = core::make_error(core::Errc::forbidden, "this link is not a confirmation link");
    e.code_name = "link_invalid";
    return e;
  }
  return claims;
}

http::Response refused_page(const core::Error& e) {
  return http::link_page(http::status_of(e.code), "This link does not work", e.message);
}

}  // namespace

void EmailService::register_routes(http::Router& router) {
  using std::placeholders::_1;
  router.add(verb::get, "/api/me/channels/email", http::Access::account,
             std::bind_front(&EmailService::get_email, this));
  router.add(verb::put, "/api/me/channels/email", http::Access::account,
             std::bind_front(&EmailService::put_email, this));
  router.add(verb::delete_, "/api/me/channels/email", http::Access::account,
             std::bind_front(&EmailService::delete_email, this));
  router.add(verb::get, "/links/email/{token}", http::Access::open,
             std::bind_front(&EmailService::confirm_page, this));
  router.add(verb::post, "/links/email/{token}", http::Access::open,
             std::bind_front(&EmailService::confirm, this), http::Body::json_or_form);
}

core::Status EmailService::send_reminder(const store::ReminderRow& reminder,
                                         const std::string& address) const {
  const auto message = mail::compose(
      reminder_mail(settings_.links, settings_.smtp.from, address, reminder, core::now()));
  return mail::send_mail(settings_.smtp, address, message);
}

core::Status EmailService::send_digest(const DigestContent& digest,
                                       const std::string& address) const {
  const auto message = mail::compose(
      digest_mail(settings_.links, settings_.smtp.from, address, digest, core::now()));
  return mail::send_mail(settings_.smtp, address, message);
}

core::Status EmailService::send_test(const std::string& address) const {
  const auto message =
      mail::compose(test_mail(settings_.links, settings_.smtp.from, address, core::now()));
  return mail::send_mail(settings_.smtp, address, message);
}

core::Result<std::optional<store::EmailChannel>> EmailService::read_channel(core::UserId user) {
  return store_.read_value([&](store::NotifierReader& r) { return r.email_channel(user); });
}

core::Result<std::pair<store::EmailChannel, bool>> EmailService::save_channel(
    core::UserId user, const std::string& address) {
  return store_.write_value(
      [&](store::NotifierWriter& w) -> core::Result<std::pair<store::EmailChannel, bool>> {
        auto old = w.email_channel(user);
        if (!old) return old.error();
        const auto now = core::now();
        if (*old && (*old)->address == address && (*old)->confirmed) {
          return std::pair{**old, false};  // nothing to confirm
        }
        store::EmailChannel c;
        c.user_id = user;
        c.address = address;
        c.created_at = now;
        c.confirmations_since = now;
        if (*old) {
          c.confirmations_sent = (*old)->confirmations_sent;
          c.confirmations_since = (*old)->confirmations_since;
          if ((*old)->address == address) c.created_at = (*old)->created_at;
        }
        if (now - c.confirmations_since >= std::chrono::hours{1}) {
          c.confirmations_sent = 0;
          c.confirmations_since = now;
        }
        if (c.confirmations_sent >= settings_.confirmations_per_hour) {
          auto e = core::make_error(
              core::Errc::too_many_requests,
              "too many confirmation mails: try again within the hour",
              {{"retry_after_seconds", std::chrono::duration_cast<std::chrono::seconds>(
                                           c.confirmations_since + std::chrono::hours{1} - now)
                                           .count()}});
          e.code_name = "confirmation_rate_limited";
          return e;
        }
        c.confirmations_sent += 1;
        if (auto st = w.set_email_channel(c); !st) return st.error();
        return std::pair{c, true};
      });
}

core::Status EmailService::send_confirmation(const store::EmailChannel& channel) {
  const auto message =
      mail::compose(confirmation_mail(settings_.links, settings_.smtp.from, channel, core::now()));
  return mail::send_mail(settings_.smtp, channel.address, message);
}

core::Status EmailService::remove_channel(core::UserId user) {
  return store_.write([&](store::NotifierWriter& w) { return w.delete_email_channel(user); });
}

core::Result<std::string> EmailService::confirm_link(const auth::LinkClaims& claims) {
  return store_.write_value([&](store::Writer& w) -> core::Result<std::string> {
    const auto now = core::now();
    auto c = w.email_channel(claims.user_id);
    if (!c) return c.error();
    if (!*c || (*c)->address != claims.subject) {
      return core::make_error(core::Errc::not_found,
                              "this address is no longer the one on the account");
    }
    auto fresh = w.mark_processed(k_link_consumer, claims.id, now);
    if (!fresh) return fresh.error();
    if (!*fresh) {
      auto e = core::make_error(core::Errc::conflict, "this link has been used already");
      e.code_name = "link_used";
      return e;
    }
    auto row = **c;
    if (!row.confirmed) {
      row.confirmed = true;
      row.confirmed_at = now;
      if (auto st = w.set_email_channel(row); !st) return st.error();
    }
    return row.address;
  });
}

http::net::awaitable<http::Response> EmailService::get_email(http::RequestContext& ctx) {
  auto c = co_await offload_.call(&EmailService::read_channel, this, *ctx.user_id);
  if (!c) co_return http::error_response(c.error());
  if (!*c) {
    co_return http::error_response(core::make_error(core::Errc::not_found, "no email address set"));
  }
  co_return http::json_response(status::ok, channel_json(**c));
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<http::Response> EmailService::put_email(http::RequestContext& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  http::JsonFields f{*body};
  if (auto st = f.only({"address"}); !st) co_return http::error_response(st.error());
  auto address = f.required_string("address");
  if (!address) co_return http::error_response(address.error());
  if (!mail::valid_address(*address)) {
    co_return http::error_response(
        core::field_error("address", "must be an email address such as ana@example.com"));
  }
  if (!enabled()) co_return http::error_response(not_configured());
  auto saved = co_await offload_.call(&EmailService::save_channel, this, *ctx.user_id, *address);
  if (!saved) co_return http::error_response(saved.error());
  auto& [channel, mail_it] = *saved;
  auto out = channel_json(channel);
  out["confirmation_sent"] = mail_it;
  if (mail_it) {
    auto sent = co_await mailer_.call(&EmailService::send_confirmation, this, channel);
    if (!sent) co_return http::error_response(sent.error());
  }
  co_return http::json_response(mail_it ? status::accepted : status::ok, out);
}

http::net::awaitable<http::Response> EmailService::confirm(http::RequestContext& ctx) {
  auto claims = confirmation_claims(settings_, ctx);
  if (!claims) co_return refused_page(claims.error());
  auto address = co_await offload_.call(&EmailService::confirm_link, this, *claims);
  if (!address) co_return refused_page(address.error());
  co_return http::link_page(status::ok, "Address confirmed",
                            "Tickler will mail your reminders to " + *address + ".");
}
#pragma GCC diagnostic pop

http::net::awaitable<http::Response> EmailService::delete_email(http::RequestContext& ctx) {
  auto st = co_await offload_.call(&EmailService::remove_channel, this, *ctx.user_id);
  if (!st) co_return http::error_response(st.error());
  co_return http::empty_response(status::no_content);
}

http::net::awaitable<http::Response> EmailService::confirm_page(http::RequestContext& ctx) {
  auto claims = confirmation_claims(settings_, ctx);
  if (!claims) co_return refused_page(claims.error());
  co_return http::link_page(status::ok, "Confirm your address",
                            "Mail Tickler reminders to " + claims->subject + "?",
                            "Confirm this address");
}

}  // namespace tickler::services::notifier
