#pragma once
// The Web Push channel: a fired reminder gets one record per push subscription of its user
// (push:<subscription id>); an attempt sends the reminder's message (push_content.hpp, action
// links of purpose "push": acting records the audit actor "push") through PushService::send.
//
// At least once: a notifier that dies after the push service took the message and before the
// record was written sends it again after the lease. Both copies carry the same Topic header
// (the record's key, hashed), so a push service still holding the first replaces it, and the
// same `delivery` key in the message, on which the service worker can dedupe (a notification
// tag replaces the earlier one).
#include "services/notifier/channel.hpp"
#include "services/notifier/push_service.hpp"

namespace tickler::services::notifier {

class PushChannel final : public Channel {
 public:
  // push must outlive the channel.
  explicit PushChannel(const PushService& push) : push_(push) {}

  [[nodiscard]] static std::string record_name(std::int64_t subscription_id) {
    return "push:" + std::to_string(subscription_id);
  }
  // The Topic header of a record's key: 32 base64url characters (RFC 8030 §5.4).
  [[nodiscard]] static std::string topic(std::string_view key);

  [[nodiscard]] std::string_view kind() const override { return "push"; }
  // push:<id> per subscription, when push is configured.
  core::Result<std::vector<std::string>> records(store::NotifierReader& reader,
                                                 const store::ReminderRow& reminder) override;
  // The message to the record's subscription (the reminder's, or the daily digest's); nullopt
  // when it was removed since.
  core::Result<std::optional<Attempt>> prepare(store::NotifierReader& reader,
                                               const AttemptInput& input) override;
  // A type "test" message to the user's subscription push:<id>.
  core::Result<std::optional<Attempt>> test_attempt(store::NotifierReader& reader,
                                                    core::UserId user,
                                                    std::string_view record) override;
  core::Result<std::vector<boost::json::object>> describe(store::NotifierReader& reader,
                                                          core::UserId user) override;

 private:
  // The user's subscription a record (push:<id>) names; nullopt when gone or push is off.
  core::Result<std::optional<store::PushSubscription>> subscription(store::NotifierReader& reader,
                                                                    core::UserId user,
                                                                    std::string_view record) const;
  const PushService& push_;
};

}  // namespace tickler::services::notifier
