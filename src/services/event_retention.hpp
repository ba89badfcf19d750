#pragma once
// EventRetention keeps the events tables a process owns from growing without bound: every
// `interval` it deletes the outbox rows sent more than `outbox` ago (where the process publishes)
// and the consumers' records of events processed more than `processed_events` ago (where it
// consumes), oldest first, in transactions of at most `batch` rows with a pause between them, so
// a writer never waits long behind it. An unsent outbox row is never deleted. A consumer forgets
// an event past its horizon, so that horizon must lie beyond any redelivery the deployment admits
// (docs/architecture.md, "Retention"); app/ checks it against the outbox's and the broker's.
// wire_event_retention() adds one to a process: started with it, stopped when it stops
// accepting, its counts on /metrics (tickler_events_pruned_total{table}).
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/offload.hpp"
#include "services/ports.hpp"
#include "store/store.hpp"

namespace tickler::services {

struct EventRetentionSettings {
  std::optional<std::chrono::seconds> outbox;            // nullopt: the process publishes nothing
  std::optional<std::chrono::seconds> processed_events;  // nullopt: it consumes nothing
  int batch = 1000;                                      // rows deleted per transaction
  std::chrono::milliseconds pause{50};                   // between two batches
  std::chrono::seconds interval{3600};                   // between two rounds
  // Before the first round: a restarted process's relay first publishes again what its outbox
  // left unsent, while its consumers still remember those events.
  std::chrono::seconds first_delay{60};
};

class EventRetention {
 public:
  enum class Table { outbox, processed_events };

  EventRetention(EventRetentionSettings settings, store::Store& store, base::Offload& offload);

  // One batch of `table` at `now`: how many rows it deleted (0 where the process does not own
  // the table). Blocking.
  core::Result<int> prune_batch(Table table, core::Instant now);
  // Starts the rounds on ioc; stop() ends them (the batch under way completes).
  void start(boost::asio::io_context& ioc);
  void stop();
  void write_metrics(std::string& out) const;

 private:
  boost::asio::awaitable<void> rounds();
  // Batches of `table` until one deletes less than a full batch; false once stopped.
  boost::asio::awaitable<bool> drain(Table table);
  // false when stopped before `delay` passed.
  boost::asio::awaitable<bool> sleep(std::chrono::milliseconds delay);
  [[nodiscard]] std::optional<std::chrono::seconds> retention(Table table) const;

  EventRetentionSettings settings_;
  store::Store& store_;
  base::Offload& offload_;
  std::optional<boost::asio::strand<boost::asio::io_context::executor_type>> strand_;
  std::unique_ptr<boost::asio::steady_timer> timer_;  // on strand_
  std::atomic<bool> stopped_{false};
  std::atomic<std::uint64_t> pruned_outbox_{0};
  std::atomic<std::uint64_t> pruned_processed_{0};
};

[[nodiscard]] std::unique_ptr<EventRetention> wire_event_retention(const Ports& ports,
                                                                   EventRetentionSettings settings);

}  // namespace tickler::services
