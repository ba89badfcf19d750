#pragma once
// The events area of the Store, the tables every role shares: the transactional outbox,
// consumer de-duplication (processed_events) and dead letters; their rows and their Reader and
// Writer (see store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/time.hpp"

namespace tickler::store {

// One event waiting in (or sent from) the outbox. Its CloudEvent id is event_id when set (a
// redriven event keeps its first id), else the row id.
struct OutboxRow {
  std::int64_t id = 0;
  std::string topic;
  std::string type;
  std::string source;
  std::string subject;
  core::UserId user_id = 0;
  std::string data;  // JSON
  std::optional<std::string> event_id;
  std::optional<std::string> target;  // one subscriber only; nullopt: every subscriber
  core::Instant created_at{};
  int attempts = 0;

  [[nodiscard]] std::string cloud_event_id() const {
    return event_id ? *event_id : std::to_string(id);
  }
};

// One of `count` disjoint shares of the outbox: the rows of the users whose id % count == index.
// A user's rows are all in one lane, so lanes relayed side by side keep every user's order.
struct OutboxLane {
  int index = 0;
  int count = 1;
};

// What waits in the outbox: rows not yet acknowledged by the bus, and when the oldest was written.
struct OutboxBacklog {
  std::int64_t pending = 0;
  std::optional<core::Instant> oldest;
};

// An event one subscriber refused or kept failing on.
struct DeadLetter {
  std::int64_t id = 0;
  std::string subscriber;
  OutboxRow event;  // event.event_id holds its CloudEvent id
  std::string error;
  core::Instant created_at{};
  std::optional<core::Instant> redriven_at;
};

// What a redrive did: the letters put back in the outbox, and the waiting letters it left alone
// because they were dead-lettered before the horizon (their consumer may have forgotten whether
// it processed the event: processed_events is pruned past the same horizon).
struct Redrive {
  int redriven = 0;
  int too_old = 0;
};

// The outbox and dead letters of one transaction's snapshot.
class EventReader {
 public:
  virtual ~EventReader() = default;
  // The oldest unsent outbox rows of a lane, in id order.
  virtual core::Result<std::vector<OutboxRow>> unsent_outbox(int limit, OutboxLane lane) = 0;
  virtual core::Result<OutboxBacklog> outbox_backlog() = 0;
  // Dead letters, newest first.
  virtual core::Result<std::vector<DeadLetter>> dead_letters(bool include_redriven, int limit) = 0;
};

// Events appended, sent, consumed and dead-lettered in a write transaction (which can read them
// too).
class EventWriter : public virtual EventReader {
 public:
  // Returns the row id (the event id).
  virtual core::Result<std::int64_t> append_outbox(const OutboxRow& row) = 0;
  // Marks every row of `ids` sent at `at` (one statement where the database allows).
  virtual core::Status mark_outbox_sent(const std::vector<std::int64_t>& ids, core::Instant at) = 0;
  virtual core::Status mark_outbox_failed(std::int64_t id, std::string_view error) = 0;
  // Records that consumer handled event_id; false when it had already (then change nothing).
  virtual core::Result<bool> mark_processed(std::string_view consumer, std::string_view event_id,
                                            core::Instant at) = 0;
  virtual core::Status insert_dead_letter(const DeadLetter& letter) = 0;
  // Puts dead letters back in the outbox for their subscriber only, keeping their event ids:
  // one (id) or every one not yet redriven (nullopt), of those dead-lettered at or after
  // `horizon`; older ones stay waiting and are counted in too_old.
  virtual core::Result<Redrive> redrive_dead_letters(std::optional<std::int64_t> id,
                                                     core::Instant at, core::Instant horizon) = 0;
  // Retention, in short transactions: each deletes at most `limit` rows and returns how many.
  // Outbox rows sent before `sent_before` (an unsent row is never deleted).
  virtual core::Result<int> prune_sent_outbox(core::Instant sent_before, int limit) = 0;
  // Consumers' records of events processed before `processed_before`: an event delivered again
  // after that is handled as new, so the horizon must lie beyond any redelivery.
  virtual core::Result<int> prune_processed_events(core::Instant processed_before, int limit) = 0;
};

}  // namespace tickler::store
