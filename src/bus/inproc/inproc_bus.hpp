#pragma once
// In-process Bus for tickler serve: publish() hands the events to each subscriber of their topic
// (a batch subscriber gets a whole run of events at once), every subscriber on its own thread,
// side by side, so that one subscriber's slow work on a batch (a recurrence to expand) does not
// hold up another's work on the same batch (the audit trail, the WebSocket); it returns when all
// of them are done, so the next batch waits for the slowest. A subscriber
// is redelivered to on RETRY with exponential backoff up to max_attempts, and DROPped or
// exhausted events go to the dead-letter sink (which may be called from several subscriber
// threads at once). Delivery is at-least-once across crashes because the caller (the outbox
// relay) marks an event sent only after publish() returned.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
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
  // One subscriber's thread: runs the jobs handed to it, in order.
  class Worker {
   public:
    Worker();
    ~Worker();
    void post(std::function<void()> job);

   private:
    std::mutex mutex_;
    std::condition_variable_any cv_;
    std::deque<std::function<void()>> jobs_;
    std::jthread thread_;
  };
  struct Entry {
    std::string name;
    BatchSubscriber fn;  // single-event subscribers are wrapped
    std::shared_ptr<Worker> worker;
  };
  // Delivers events (all of entry's topic) until each is taken or dead-lettered.
  core::Status deliver(const Entry& entry, std::vector<Event> events);
  InprocBusSettings settings_;
  DeadLetterSink dead_letters_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Entry>, std::less<>> subscribers_;
};

}  // namespace tickler::bus::inproc
