#include "services/notifier/push_channel.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "auth/digest.hpp"
#include "auth/jwt.hpp"
#include "http/destination.hpp"
#include "services/notifier/push_content.hpp"

namespace tickler::services::notifier {
namespace {

std::optional<std::int64_t> subscription_id(std::string_view record) {
  constexpr std::string_view prefix = "push:";
  if (!record.starts_with(prefix)) return std::nullopt;
  record.remove_prefix(prefix.size());
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(record.data(), record.data() + record.size(), id);
  if (ec != std::errc{} || ptr != record.data() + record.size()) return std::nullopt;
  return id;
}

std::string host_of(const std::string& url) {
  auto target = http::parse_url_target(url);
  std::string host = target ? target->host : url;
  for (auto& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return host;
}

}  // namespace

std::string PushChannel::topic(std::string_view key) {
  // 24 bytes of the key's SHA-256 are 32 base64url characters.
  std::string digest;
  const auto hex = auth::sha256_hex(key);
  for (std::size_t i = 0; i + 1 < hex.size() && digest.size() < 24; i += 2) {
    digest.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return auth::base64url_encode(digest);
}

core::Result<std::vector<std::string>> PushChannel::records(store::NotifierReader& reader,
                                                            const store::ReminderRow& reminder) {
  std::vector<std::string> out;
  if (!push_.enabled()) return out;
  auto subs = reader.push_subscriptions(reminder.user_id);
  if (!subs) return subs.error();
  for (const auto& s : *subs) out.push_back(record_name(s.id));
  return out;
}

core::Result<std::optional<store::PushSubscription>> PushChannel::subscription(
    store::NotifierReader& reader, core::UserId user, std::string_view record) const {
  const auto id = subscription_id(record);
  if (!id || !push_.enabled()) return std::optional<store::PushSubscription>{};
  auto subs = reader.push_subscriptions(user);
  if (!subs) return subs.error();
  for (auto& s : *subs) {
    if (s.id == *id) return std::optional<store::PushSubscription>{std::move(s)};
  }
  return std::optional<store::PushSubscription>{};
}

core::Result<std::optional<Attempt>> PushChannel::prepare(store::NotifierReader& reader,
                                                          const AttemptInput& input) {
  auto sub = subscription(reader, input.reminder.user_id, input.delivery.channel);
  if (!sub) return sub.error();
  if (!*sub) return std::optional<Attempt>{};
  Attempt attempt;
  attempt.destination = host_of((*sub)->endpoint);
  if (input.digest) {
    attempt.send = [this, sub = std::move(**sub), load = input.digest, key = input.key()] {
      auto content = load();
      if (!content) return Outcome::retry(content.error().message);
      const auto message =
          boost::json::serialize(digest_push(push_.settings().links, *content, key));
      return push_.send(sub, message, push_urgency("none"), topic(key));
    };
    return std::optional<Attempt>{std::move(attempt)};
  }
  attempt.send = [this, sub = std::move(**sub), reminder = input.reminder, key = input.key()] {
    const auto message = boost::json::serialize(reminder_push(
        push_.settings().links, "push", reminder, reminder.priority, key, core::now()));
    return push_.send(sub, message, push_urgency(reminder.priority), topic(key));
  };
  return std::optional<Attempt>{std::move(attempt)};
}

core::Result<std::optional<Attempt>> PushChannel::test_attempt(store::NotifierReader& reader,
                                                               core::UserId user,
                                                               std::string_view record) {
  auto sub = subscription(reader, user, record);
  if (!sub) return sub.error();
  if (!*sub) return std::optional<Attempt>{};
  Attempt attempt;
  attempt.destination = host_of((*sub)->endpoint);
  attempt.send = [this, sub = std::move(**sub), channel = std::string{record}] {
    return push_.send(sub, boost::json::serialize(test_push(push_.settings().links, channel)),
                      "normal", "");
  };
  return std::optional<Attempt>{std::move(attempt)};
}

core::Result<std::vector<boost::json::object>> PushChannel::describe(store::NotifierReader& reader,
                                                                     core::UserId user) {
  auto subs = reader.push_subscriptions(user);
  if (!subs) return subs.error();
  std::vector<boost::json::object> out;
  for (const auto& s : *subs) {
    auto o = push_subscription_json(s);
    o.erase("id");
    o["state"] = push_.enabled() ? "on" : "off";
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace tickler::services::notifier
