#pragma once
// In-process Bus for tickler serve: publish() calls each subscriber of the topic in turn on the
// caller's thread (a batch subscriber gets a whole run of events at once), redelivering on RETRY
// with exponential backoff up to max_attempts, and hands DROPped or exhausted events to the
// dead-letter sink. Delivery is at-least-once across crashes
// because the caller (the outbox relay) marks an event sent only after publish() returned.
#include <chrono>
#include <map>
#include <mutex>
#include <vector>

#include "bus/bus.hpp"

namespace tickler::bus::inproc {

// Stores an event that `subscriber` gave up on; an error makes publish() fail (retry later).
using DeadLetterSink = std::function<core::Status(const Event&, const std::string& subscriber,
                                                  const std::string& error)>;

struct InprocBusSettings {
  int max_attempts = 5;
  std::chrono::milliseconds first_backoff{20};
  std::chrono::milliseconds max_backoff{2000};
};

class InprocBus final : public Bus {
 public:
  InprocBus(InprocBusSettings settings, DeadLetterSink dead_letters)
      : settings_(settings), dead_letters_(std::move(dead_letters)) {}

  void subscribe(std::string topic, std::string name, Subscriber fn) override;
  void subscribe_batch(std::string topic, std::string name, BatchSubscriber fn) override;
  core::Status publish(const Event& event, const std::optional<std::string>& target) override;
  core::Status publish_batch(const std::vector<Event>& events,
                             const std::optional<std::string>& target) override;

 private:
  struct Entry {
    std::string name;
    BatchSubscriber fn;  // single-event subscribers are wrapped
  };
  // Delivers events (all of entry's topic) until each is taken or dead-lettered.
  core::Status deliver(const Entry& entry, std::vector<Event> events);
  InprocBusSettings settings_;
  DeadLetterSink dead_letters_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Entry>, std::less<>> subscribers_;
};

}  // namespace tickler::bus::inproc
