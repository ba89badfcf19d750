#pragma once
// The realtime hub's memory of recent messages, for clients that reconnect with the last
// sequence they saw, and of recent event ids, to recognise redeliveries. Bounded, so that it
// grows with activity, not with users:
//   - by age: a message older than max_age is never replayed (and is dropped);
//   - per user: at most max_messages_per_user messages and max_bytes_per_user bytes, the oldest
//     going first — one busy user holds at most that share;
//   - in all: when everything held passes max_bytes, the user published to least recently loses
//     what is held for them (messages and recent ids), then the next — O(1) per message.
// A drop is always a prefix of a user's messages, and what was dropped is remembered per user
// (or, for a user dropped whole, as one watermark for all of them), so a resume after a gap is
// told so (nullopt), never given a hole. A redelivery arriving after its user was dropped whole
// is taken as new. Bytes are accounted (the text, the containers' share, the ids), not measured.
// Not thread-safe: the Hub holds its lock around every call.
#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/task.hpp"

namespace tickler::services::realtime {

struct ReplaySettings {
  std::size_t max_bytes = 16 * 1024 * 1024;     // every user's together
  std::size_t max_bytes_per_user = 256 * 1024;  // messages of one user
  std::size_t max_messages_per_user = 500;
  std::chrono::milliseconds max_age{std::chrono::minutes{10}};
  std::size_t recent_events = 256;  // per user and stream, to recognise redeliveries
};

class ReplayBuffer {
 public:
  using Clock = std::chrono::steady_clock;
  using Message = std::shared_ptr<const std::string>;

  explicit ReplayBuffer(ReplaySettings settings) : settings_(settings) {}

  // Records the event id for the user's stream; false when it is among the recent ones there
  // (a redelivery). Call keep() next when true.
  bool record(core::UserId user, std::string_view stream, std::int64_t event_id);
  // Holds the user's message with this sequence (higher than any held) from `now` on, then
  // drops what the bounds no longer allow.
  void keep(core::UserId user, std::int64_t sequence, Message message, Clock::time_point now);
  // The user's messages after `since`, oldest first; nullopt when one of them was dropped.
  [[nodiscard]] std::optional<std::vector<Message>> after(core::UserId user, std::int64_t since,
                                                          Clock::time_point now);

  [[nodiscard]] std::size_t bytes() const { return bytes_; }
  [[nodiscard]] std::size_t users() const { return users_.size(); }
  [[nodiscard]] std::uint64_t users_dropped() const { return users_dropped_; }

 private:
  struct Held {
    std::int64_t sequence;
    Clock::time_point at;
    Message message;
  };
  struct Recent {  // a ring of the last recent_events ids of one stream
    std::string stream;
    std::vector<std::int64_t> ids;
    std::size_t next = 0;
  };
  struct User {
    std::deque<Held> messages;
    std::size_t message_bytes = 0;
    std::size_t bytes = 0;          // everything accounted for this user
    std::int64_t dropped_upto = 0;  // the newest sequence dropped
    std::vector<Recent> recent;
    std::list<core::UserId>::iterator lru;
  };

  User& user(core::UserId id);
  void account(User& u, std::size_t add, std::size_t remove);
  void drop_front(User& u);
  void drop_expired(User& u, Clock::time_point now);
  void drop_user(std::unordered_map<core::UserId, User>::iterator it);
  void enforce_budget(Clock::time_point now);

  ReplaySettings settings_;
  std::unordered_map<core::UserId, User> users_;
  std::list<core::UserId> lru_;  // least recently published to first
  std::size_t bytes_ = 0;
  std::int64_t forgotten_upto_ = 0;  // users dropped whole held nothing newer than this
  std::uint64_t users_dropped_ = 0;
};

}  // namespace tickler::services::realtime
