#pragma once
// The real-time fan-out state: which WebSocket sessions each user has open, and the recent
// messages kept for clients that reconnect with the last sequence they saw (ReplayBuffer:
// bounded in bytes, per user and by age, so memory grows with activity and connections, not
// with users). Sequences are the hub's own (one counter per process), because events come from
// several producers whose ids are not one series (the api's outbox, the notifier's);
// redeliveries are recognised per user and producer stream by the ids of the recent events (not
// by "id at or below the last one": on PostgreSQL a lower outbox id may commit, and arrive,
// after a higher). Thread-safe; sessions are told to send, never waited for.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "core/task.hpp"
#include "services/realtime/replay_buffer.hpp"

namespace tickler::services::realtime {

// What the hub needs of a session: take a message to send (without blocking), or be closed.
class Outlet {
 public:
  virtual ~Outlet() = default;
  virtual void send(std::shared_ptr<const std::string> message) = 0;
  virtual void close() = 0;
  // The user's tokens older than `generation` were revoked: an outlet opened with one closes.
  virtual void revoke(std::int64_t generation) { (void)generation; }
};

// The replay buffer's bounds, and the clock messages age by (tests set their own).
struct HubSettings : ReplaySettings {
  std::function<ReplayBuffer::Clock::time_point()> clock = ReplayBuffer::Clock::now;
};

class Hub {
 public:
  explicit Hub(HubSettings settings = {});

  // Registers an outlet and greets it with {"type":"hello","epoch","sequence"}. A reconnecting
  // client passes the epoch and the last sequence it saw: it then gets what it missed, oldest
  // first — or, when that cannot be proven complete (another epoch: the process restarted; or
  // one of the user's messages after it is no longer kept: too old, or dropped for space), a
  // resync message.
  void join(core::UserId user, const std::shared_ptr<Outlet>& outlet,
            std::optional<std::int64_t> since, std::string_view epoch);
  [[nodiscard]] const std::string& epoch() const { return epoch_; }
  void leave(core::UserId user, const std::shared_ptr<Outlet>& outlet);
  // Stamps the message with the next sequence, sends it to every outlet of the user and keeps it
  // for catch-up. An event_id among the recent ones of the user on that stream is a
  // redelivery: ignored. Returns the sequence given (0 when ignored).
  std::int64_t publish(core::UserId user, std::string_view stream, std::int64_t event_id,
                       boost::json::object message);
  // Revokes the user's outlets opened with a token older than `generation` (Outlet::revoke), now
  // and when one joins later (an upgrade checked just before the revocation).
  void revoke(core::UserId user, std::int64_t generation);
  void close_all();
  [[nodiscard]] std::size_t connections() const;
  // tickler_realtime_*: connections, users with open sessions, bytes and users held for replay.
  void write_metrics(std::string& out) const;

 private:
  struct Sessions {  // a user's, while one is open or a revocation is to be remembered
    std::set<std::shared_ptr<Outlet>> outlets;
    std::int64_t revoked_below = 0;  // tokens of an older generation were revoked
  };
  HubSettings settings_;
  const std::string epoch_;  // random per process
  mutable std::mutex mutex_;
  std::int64_t latest_ = 0;  // highest sequence published
  std::unordered_map<core::UserId, Sessions> sessions_;
  std::size_t connections_ = 0;
  ReplayBuffer replay_;
};

// The message a client gets when its catch-up cannot be served from the backlog.
[[nodiscard]] std::string resync_message();

}  // namespace tickler::services::realtime
