#pragma once
// Publishes outbox rows to the Bus, oldest first, and marks them sent only after the bus
// acknowledged them (so a crash in between means a redelivery, never a loss). One thread per
// lane (a share of the users, store::OutboxLane): a lane's rows leave in id order, which keeps
// every user's events in order, while the lanes publish side by side, so one slow publish does
// not hold back every other user's events. On a failed publish a lane stops, backs off
// (exponentially, bounded) and starts again from that row.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "bus/bus.hpp"
#include "outbox/event_tap.hpp"
#include "store/store.hpp"

namespace tickler::outbox {

struct RelaySettings {
  int batch = 200;                       // rows per read, per lane
  std::chrono::milliseconds poll{1000};  // also looks without being woken, as a safety net
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{30'000};
  int lanes = 1;  // publishing side by side, each a share of the users (store::OutboxLane)
  // Where every acknowledged event is recorded, for tests (TICKLER_EVENT_TAP); nullptr: nowhere.
  EventTap* tap = EventTap::from_environment();
};

class Relay {
 public:
  Relay(RelaySettings settings, store::Store& store, bus::Bus& bus);
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;
  ~Relay() { stop(); }

  // tickler_outbox_pending_events and tickler_outbox_oldest_pending_age_seconds (one query).
  void write_metrics(std::string& out) const;
  void start();
  // Publishes what is left, then ends the thread (bounded by the current backoff).
  void stop();
  // New rows were committed: look now.
  void wake();
  // Publishes every row pending now, lane after lane, on the caller's thread; the number
  // published (tests, CLI).
  core::Result<int> drain_once();

 private:
  core::Result<int> drain_lane(int lane);
  void run(std::stop_token stop, int lane);
  RelaySettings settings_;
  store::Store& store_;
  bus::Bus& bus_;
  std::mutex mutex_;
  std::condition_variable_any cv_;
  std::vector<char> woken_;            // per lane, guarded by mutex_
  std::deque<std::mutex> lane_mutex_;  // one drain of a lane at a time keeps its id order
  std::vector<std::jthread> threads_;
};

}  // namespace tickler::outbox
