#pragma once
// The seam between the delivery core and one way of reaching a person (webhook, email, …).
//
// The core (NotifierService) owns the durable delivery records, one per reminder × channel
// (store::Delivery; reminder_id × channel is the idempotency key): it creates them when a
// reminder fires, claims a due one with a lease (so two notifier replicas never attempt the same
// delivery at once), counts the attempt, runs it on the DeliveryDispatcher (one at a time per
// user × channel, a few per destination), and records the outcome: sent / delivered, or failed with
// the error and a retry after a backoff, or dead (redrivable with `tickler dlq deliveries`).
//
// A Channel answers three questions, and describes itself:
//   - records:  which delivery records a fired reminder gets on this channel for its user (none
//               when the user has the channel off); read in the firing transaction;
//   - prepare:  what one attempt needs, read from the store in the dispatch's read transaction
//               (the user's settings for this channel: a webhook's URL and secret, a confirmed
//               address, …), as an Attempt to run later; nullopt when the settings are gone;
//   - Attempt::send: the blocking send itself, on a dispatcher worker, answering an Outcome;
//   - describe: the user's endpoints of this channel and their state, for GET /api/me/channels;
//   - test_attempt: a test message to one of the user's endpoints (POST /api/me/channels/test),
//               sent like an attempt but with no delivery record.
// Which of a reminder's records are kept (the user's channels by priority, a task's override)
// and when they may first be attempted (quiet hours) is the core's, in one place
// (NotifierService::fire_at), not a channel's.
// A channel never writes the delivery record; it may read and write its own tables in prepare.
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "services/notifier/digest.hpp"
#include "store/notifier.hpp"

namespace tickler::services::notifier {

// What one attempt ended in.
struct Outcome {
  enum class Kind {
    delivered,  // the receiver confirmed it (a webhook's 2xx)
    sent,       // handed over, nothing more to know (an SMTP server accepted the mail)
    retry,      // failed this time (error): tried again after a backoff, until attempts run out
    failed,     // failed for good (error): the delivery is dead at once, no retry helps
  };
  Kind kind = Kind::delivered;
  std::string error;  // why, for retry and failed; kept as the record's last_error
  // retry: the receiver asked to wait at least this long (Retry-After); the core waits for the
  // longer of it and its own backoff, at most its longest backoff.
  std::chrono::seconds retry_after{0};

  static Outcome delivered() { return {Kind::delivered, {}}; }
  static Outcome sent() { return {Kind::sent, {}}; }
  static Outcome retry(std::string why, std::chrono::seconds after = std::chrono::seconds{0}) {
    return {Kind::retry, std::move(why), after};
  }
  static Outcome failed(std::string why) { return {Kind::failed, std::move(why)}; }
};

// One attempt, prepared: where it goes (the dispatcher's per-destination limit: a webhook's host,
// lower case; the SMTP server for every mail) and the blocking send. `send` must finish within the
// channel's own timeout, which the core's lease outlasts (DeliverySettings::lease).
struct Attempt {
  std::string destination;
  std::function<Outcome()> send;
  // Attempts in flight at once to `destination`; 0: the dispatcher's per_host.
  int destination_limit = 0;
};

// What an attempt is given: the record (attempts already counts this attempt; the idempotency
// key is key()), and the reminder it delivers. A daily digest's record (its reminder's id is
// digest:<user>:<date>, digest.hpp) comes with `digest`, which reads the digest's content
// (blocking: call it in Attempt::send); a channel that does not send digests has no record of
// one.
struct AttemptInput {
  const store::Delivery& delivery;
  const store::ReminderRow& reminder;
  std::function<core::Result<DigestContent>()> digest{};

  // The idempotency key a receiver dedupes on: the same on every attempt of one reminder ×
  // channel (the X-Tickler-Delivery header of a webhook, the Message-ID of a mail, …).
  [[nodiscard]] std::string key() const { return delivery_key(delivery); }
  [[nodiscard]] static std::string delivery_key(const store::Delivery& d) {
    return d.channel == "webhook" ? d.reminder_id : d.reminder_id + "/" + d.channel;
  }
  // An event delivery's record names event:<event id>, not a reminder.
  [[nodiscard]] static bool is_event(const store::Delivery& d) {
    return d.reminder_id.starts_with("event:");
  }
};

class Channel {
 public:
  virtual ~Channel() = default;
  // The channel's kind: the records it owns are named `kind` or `kind:<something>` (one per
  // endpoint, e.g. webhook:7 for a user's webhook #7), and stored as Delivery::channel.
  [[nodiscard]] virtual std::string_view kind() const = 0;
  // The delivery records (their Delivery::channel names) a fired reminder gets on this channel:
  // empty when the user has it off. Called in the firing transaction.
  virtual core::Result<std::vector<std::string>> records(store::NotifierReader& reader,
                                                         const store::ReminderRow& reminder) = 0;
  // Reads what an attempt of `input.delivery` needs; nullopt when it cannot be made any more
  // (the user removed the channel): the delivery is then dead.
  virtual core::Result<std::optional<Attempt>> prepare(store::NotifierReader& reader,
                                                       const AttemptInput& input) = 0;

  // The user's endpoints of this channel for GET /api/me/channels, each an object with at least
  // "channel" (the records' name, e.g. "webhook:7") and "state" ("on", "unconfirmed", "off", …);
  // empty when the user has none. Read in a read transaction.
  virtual core::Result<std::vector<boost::json::object>> describe(store::NotifierReader& reader,
                                                                  core::UserId user) {
    (void)reader;
    (void)user;
    return std::vector<boost::json::object>{};
  }

  // Task events (task.created, task.updated, task.completed, task.deleted) for channels that
  // send them (webhooks): the records a user's event gets (default: none), and what an attempt
  // of such a record needs (its Delivery::payload is the body; default: none, so it is dead).
  virtual core::Result<std::vector<std::string>> event_records(store::NotifierReader& reader,
                                                               core::UserId user,
                                                               std::string_view event) {
    (void)reader;
    (void)user;
    (void)event;
    return std::vector<std::string>{};
  }
  virtual core::Result<std::optional<Attempt>> prepare_event(store::NotifierReader& reader,
                                                             const store::Delivery& delivery) {
    (void)reader;
    (void)delivery;
    return std::optional<Attempt>{};
  }

  // A test message to the user's endpoint named `record` (one describe lists), through the same
  // send and destination policy as a delivery; nullopt when the user has no such endpoint here.
  virtual core::Result<std::optional<Attempt>> test_attempt(store::NotifierReader& reader,
                                                            core::UserId user,
                                                            std::string_view record) {
    (void)reader;
    (void)user;
    (void)record;
    return std::optional<Attempt>{};
  }

  // Whether a record's channel name is this channel's.
  [[nodiscard]] bool owns(std::string_view record) const {
    const auto k = kind();
    return record == k ||
           (record.size() > k.size() && record.starts_with(k) && record[k.size()] == ':');
  }
};

}  // namespace tickler::services::notifier
