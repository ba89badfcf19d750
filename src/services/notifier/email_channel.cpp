#include "services/notifier/email_channel.hpp"

namespace tickler::services::notifier {

core::Result<std::vector<std::string>> EmailChannel::records(store::NotifierReader& reader,
                                                             const store::ReminderRow& reminder) {
  std::vector<std::string> out;
  if (!email_.enabled()) return out;
  auto c = reader.email_channel(reminder.user_id);
  if (!c) return c.error();
  if (*c && (*c)->confirmed) out.emplace_back(kind());
  return out;
}

core::Result<std::optional<Attempt>> EmailChannel::test_attempt(store::NotifierReader& reader,
                                                                core::UserId user,
                                                                std::string_view record) {
  if (!email_.enabled() || record != kind()) return std::optional<Attempt>{};
  auto c = reader.email_channel(user);
  if (!c) return c.error();
  if (!*c || !(*c)->confirmed) return std::optional<Attempt>{};
  return std::optional<Attempt>{Attempt{"smtp:",
                                        [this, address = (*c)->address] {
                                          if (auto st = email_.send_test(address); !st) {
                                            return Outcome::retry(st.error().message);
                                          }
                                          return Outcome::sent();
                                        },
                                        email_.settings().connections}};
}

core::Result<std::optional<Attempt>> EmailChannel::prepare(store::NotifierReader& reader,
                                                           const AttemptInput& input) {
  if (!email_.enabled()) return std::optional<Attempt>{};
  auto c = reader.email_channel(input.reminder.user_id);
  if (!c) return c.error();
  if (!*c || !(*c)->confirmed) return std::optional<Attempt>{};
  // Every mail goes through the one SMTP server: it is the destination ("smtp:", never a host
  // name), with its own bound.
  const auto limit = email_.settings().connections;
  if (input.digest) {
    return std::optional<Attempt>{Attempt{"smtp:",
                                          [this, load = input.digest, address = (*c)->address] {
                                            auto content = load();
                                            if (!content)
                                              return Outcome::retry(content.error().message);
                                            if (auto st = email_.send_digest(*content, address);
                                                !st) {
                                              return Outcome::retry(st.error().message);
                                            }
                                            return Outcome::sent();
                                          },
                                          limit}};
  }
  return std::optional<Attempt>{Attempt{"smtp:",
                                        [this, reminder = input.reminder, address = (*c)->address] {
                                          if (auto st = email_.send_reminder(reminder, address);
                                              !st) {
                                            return Outcome::retry(st.error().message);
                                          }
                                          return Outcome::sent();
                                        },
                                        limit}};
}

core::Result<std::vector<boost::json::object>> EmailChannel::describe(store::NotifierReader& reader,
                                                                      core::UserId user) {
  std::vector<boost::json::object> out;
  auto c = reader.email_channel(user);
  if (!c) return c.error();
  if (*c) {
    const char* state = !email_.enabled() ? "off" : (*c)->confirmed ? "on" : "unconfirmed";
    out.push_back({{"channel", "email"}, {"state", state}, {"address", (*c)->address}});
  }
  return out;
}

}  // namespace tickler::services::notifier
