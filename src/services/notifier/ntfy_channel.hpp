#pragma once
// The ntfy channel: a fired reminder gets the record "ntfy" when its user has a topic; an attempt
// publishes the reminder's message (push_content.hpp, action links of purpose "ntfy") through
// NtfyService::send. "sent" once ntfy took it. At least once (ntfy_service.hpp).
#include <functional>

#include "services/notifier/channel.hpp"
#include "services/notifier/ntfy_service.hpp"

namespace tickler::services::notifier {

class NtfyChannel final : public Channel {
 public:
  // ntfy must outlive the channel.
  explicit NtfyChannel(const NtfyService& ntfy) : ntfy_(ntfy) {}

  [[nodiscard]] std::string_view kind() const override { return "ntfy"; }
  core::Result<std::vector<std::string>> records(store::NotifierReader& reader,
                                                 const store::ReminderRow& reminder) override;
  // The reminder's message, or the daily digest's.
  core::Result<std::optional<Attempt>> prepare(store::NotifierReader& reader,
                                               const AttemptInput& input) override;
  // A type "test" message to the user's topic (record "ntfy").
  core::Result<std::optional<Attempt>> test_attempt(store::NotifierReader& reader,
                                                    core::UserId user,
                                                    std::string_view record) override;
  core::Result<std::vector<boost::json::object>> describe(store::NotifierReader& reader,
                                                          core::UserId user) override;

 private:
  // An attempt at the user's topic that sends what `message` makes; nullopt without a topic.
  core::Result<std::optional<Attempt>> attempt_to(
      store::NotifierReader& reader, core::UserId user,
      std::function<core::Result<boost::json::object>()> message);
  const NtfyService& ntfy_;
};

}  // namespace tickler::services::notifier
