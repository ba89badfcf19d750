#pragma once
// The ntfy channel: a fired reminder gets the record "ntfy" when its user has a topic; an attempt
// publishes the reminder's message (push_content.hpp, action links of purpose "ntfy") through
// NtfyService::send. "sent" once ntfy took it. At least once (ntfy_service.hpp).
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
  core::Result<std::optional<Attempt>> prepare(store::NotifierReader& reader,
                                               const AttemptInput& input) override;
  core::Result<std::vector<boost::json::object>> describe(store::NotifierReader& reader,
                                                          core::UserId user) override;

 private:
  const NtfyService& ntfy_;
};

}  // namespace tickler::services::notifier
