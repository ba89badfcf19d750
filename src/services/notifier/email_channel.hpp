#pragma once
// The email channel: a fired reminder is mailed (email_content.hpp: the task, its due time in the
// task's zone, one-use links) to the user's address once it is confirmed, through the operator's
// SMTP server (EmailService::send_reminder). An accepted mail is "sent": SMTP says nothing of
// its delivery. Retried with the core's backoff while the server cannot be reached or refuses.
//
// At least once, at most twice in one case: a notifier that dies after the server accepted the
// mail and before the record was written mails it again when the lease runs out. Both copies carry
// the same Message-ID (<reminder id>.email@<public host>), derived from reminder × channel, so mail
// clients that dedupe on it show one.
#include "services/notifier/channel.hpp"
#include "services/notifier/email_service.hpp"

namespace tickler::services::notifier {

class EmailChannel final : public Channel {
 public:
  // email must outlive the channel.
  explicit EmailChannel(const EmailService& email) : email_(email) {}

  [[nodiscard]] std::string_view kind() const override { return "email"; }
  // "email" when the server has SMTP and the user a confirmed address; else none.
  core::Result<std::vector<std::string>> records(store::NotifierReader& reader,
                                                 const store::ReminderRow& reminder) override;
  // The mail to the user's confirmed address; nullopt when it was removed or changed since
  // (an unconfirmed address is never mailed). Destination: the SMTP server ("smtp:"), at most
  // EmailSettings::connections mails at once (one user's mails go one at a time).
  core::Result<std::optional<Attempt>> prepare(store::NotifierReader& reader,
                                               const AttemptInput& input) override;
  core::Result<std::vector<boost::json::object>> describe(store::NotifierReader& reader,
                                                          core::UserId user) override;
  // A test mail to the user's confirmed address (an unconfirmed one is never mailed).
  core::Result<std::optional<Attempt>> test_attempt(store::NotifierReader& reader,
                                                    core::UserId user,
                                                    std::string_view record) override;

 private:
  const EmailService& email_;
};

}  // namespace tickler::services::notifier
