#pragma once
// Publishes outbox rows to the Bus, oldest first, and marks them sent only after the bus
// acknowledged them (so a crash in between means a redelivery, never a loss). One thread: rows
// leave in id order, which keeps every user's events in order. On a failed publish it stops,
// backs off (exponentially, bounded) and starts again from that row.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bus/bus.hpp"
#include "store/store.hpp"

namespace tickler::services::api {

struct RelaySettings {
  int batch = 200;
  std::chrono::milliseconds poll{1000};  // also looks without being woken, as a safety net
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{30'000};
};

class OutboxRelay {
 public:
  OutboxRelay(RelaySettings settings, store::Store& store, bus::Bus& bus)
      : settings_(settings), store_(store), bus_(bus) {}
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;
  ~OutboxRelay() { stop(); }

  // tickler_outbox_pending_events and tickler_outbox_oldest_pending_age_seconds (one query).
  void write_metrics(std::string& out) const;
  void start();
  // Publishes what is left, then ends the thread (bounded by the current backoff).
  void stop();
  // New rows were committed: look now.
  void wake();
  // Publishes every row pending now, on the caller's thread; the number published (tests, CLI).
  core::Result<int> drain_once();

 private:
  void run(std::stop_token stop);
  RelaySettings settings_;
  store::Store& store_;
  bus::Bus& bus_;
  std::mutex mutex_;
  std::condition_variable_any cv_;
  bool woken_ = false;
  std::mutex drain_mutex_;  // one drain at a time keeps the id order
  std::jthread thread_;
};

// The bus event of an outbox row (partition key = user id).
[[nodiscard]] bus::Event to_event(const store::OutboxRow& row);

}  // namespace tickler::services::api
