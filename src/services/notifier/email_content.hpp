#pragma once
// What Tickler's mails say (pure: no store, no SMTP): the confirmation of an address, and a
// fired reminder — its task's title and due time in the task's own zone, with one-use signed
// links to act on it (Done, Snooze 10 min / 1 h / tomorrow 9:00) and a plain link to open the
// web UI. Every text the user typed is escaped in the HTML part.
#include <optional>
#include <string>

#include "auth/signed_link.hpp"
#include "mail/message.hpp"
#include "services/notifier/digest.hpp"
#include "store/notifier.hpp"

namespace tickler::services::notifier {

// What every mailed link is made with.
struct LinkSigner {
  std::string public_url;  // "https://tickler.example.com", no trailing slash
  std::string key;         // auth::link_key(jwt secret)
  std::chrono::seconds ttl{7 * 24 * 3600};
};

// Where a link of this purpose is served: {public_url}/links/{purpose}/{token}.
[[nodiscard]] std::string link_url(const LinkSigner& signer, const auth::LinkClaims& claims);

// The host part of Message-IDs: the public URL's host ("tickler" when it has none).
[[nodiscard]] std::string message_id_host(const std::string& public_url);

// The mail asking `channel.address` to confirm; its link expires with signer.ttl.
[[nodiscard]] mail::MailMessage confirmation_mail(const LinkSigner& signer, const std::string& from,
                                                  const store::EmailChannel& channel,
                                                  core::Instant now);

// The daily digest's mail: the tasks overdue and due that day, each with its due time in its
// zone and a link opening it in the web UI. Its Message-ID is derived from the digest's key
// (digest:<user>:<date>), so a mail sent twice carries the same one.
[[nodiscard]] mail::MailMessage digest_mail(const LinkSigner& signer, const std::string& from,
                                            const std::string& to, const DigestContent& digest,
                                            core::Instant now);

// The test mail of POST /api/me/channels/test to `to` (no links that act).
[[nodiscard]] mail::MailMessage test_mail(const LinkSigner& signer, const std::string& from,
                                          const std::string& to, core::Instant now);

// The mail of a fired reminder to `to`. Its Message-ID is derived from the reminder and the
// channel only, so a mail sent twice (a worker that died after the server accepted it and before
// the record) carries the same id and mail clients show it once.
[[nodiscard]] mail::MailMessage reminder_mail(const LinkSigner& signer, const std::string& from,
                                              const std::string& to,
                                              const store::ReminderRow& reminder,
                                              core::Instant now);

}  // namespace tickler::services::notifier
