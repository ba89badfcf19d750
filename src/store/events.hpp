#pragma once
// Rows of the event tables every role shares: the transactional outbox, consumer
// de-duplication (processed_events) and dead letters.
#include <cstdint>
#include <optional>
#include <string>

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

}  // namespace tickler::store
