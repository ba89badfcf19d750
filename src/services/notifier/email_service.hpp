#pragma once
// The email channel's settings and routes in the notifier: a user's address (PUT stores it
// unconfirmed and mails a confirmation link; nothing else is mailed to it until that link's
// button is pressed), GET and DELETE of it, the confirmation link's page (GET shows a button,
// only POST confirms: mail scanners fetch links), and the blocking send of a reminder's mail,
// used by the email delivery channel. Confirmation mails are rate-limited per user.
#include <chrono>
#include <string>

#include "base/offload.hpp"
#include "http/router.hpp"
#include "mail/smtp.hpp"
#include "services/notifier/email_content.hpp"
#include "store/store.hpp"

namespace tickler::services::notifier {

// The consumer name under which used mailed links are recorded as processed events: a link acts
// once; the events retention outlasts a link's life, so an old one is refused as expired.
inline constexpr std::string_view k_link_consumer = "email-link";

struct EmailSettings {
  mail::SmtpSettings smtp;  // smtp.url empty: email is off
  LinkSigner links;
  int confirmations_per_hour = 5;  // confirmation mails per user
  // Reminder mails in flight at once to the SMTP server (each its own SMTP session); one user's
  // go one at a time, so a user whose recipient the server holds up takes at most one.
  int connections = 8;
};

class EmailService {
 public:
  EmailService(EmailSettings settings, store::Store& store, base::Offload& offload)
      : settings_(std::move(settings)), store_(store), offload_(offload) {}

  [[nodiscard]] bool enabled() const { return !settings_.smtp.url.empty(); }
  [[nodiscard]] const EmailSettings& settings() const { return settings_; }
  void register_routes(http::Router& router);
  // Mails the reminder to `address` (blocking: an SMTP exchange).
  [[nodiscard]] core::Status send_reminder(const store::ReminderRow& reminder,
                                           const std::string& address) const;
  // Mails the daily digest to `address` (blocking).
  [[nodiscard]] core::Status send_digest(const DigestContent& digest,
                                         const std::string& address) const;
  // Mails the test of POST /api/me/channels/test to `address` (blocking).
  [[nodiscard]] core::Status send_test(const std::string& address) const;

 private:
  http::net::awaitable<http::Response> get_email(http::RequestContext& ctx);
  http::net::awaitable<http::Response> put_email(http::RequestContext& ctx);
  http::net::awaitable<http::Response> delete_email(http::RequestContext& ctx);
  http::net::awaitable<http::Response> confirm_page(http::RequestContext& ctx);
  http::net::awaitable<http::Response> confirm(http::RequestContext& ctx);
  // Blocking halves.
  core::Result<std::optional<store::EmailChannel>> read_channel(core::UserId user);
  // Stores the address (unconfirmed unless it is the confirmed one already) and counts a
  // confirmation mail against the rate limit; answers the row and whether to mail it.
  core::Result<std::pair<store::EmailChannel, bool>> save_channel(core::UserId user,
                                                                  const std::string& address);
  core::Status send_confirmation(const store::EmailChannel& channel);
  core::Status remove_channel(core::UserId user);
  // The confirmation itself: the link's id recorded as used and the address confirmed, in one
  // transaction. conflict "link_used" when the link acted already.
  core::Result<std::string> confirm_link(const auth::LinkClaims& claims);

  EmailSettings settings_;
  store::Store& store_;
  base::Offload& offload_;
  // SMTP exchanges of confirmation mails: a slow mail server ties up these threads, never the
  // store's.
  base::Offload mailer_{2};
};

}  // namespace tickler::services::notifier
