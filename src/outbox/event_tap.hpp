#pragma once
// A record of the events this process publishes, for the tests that check each of them against
// docs/events/asyncapi.yaml (tests/events_schema.py). A test hook, not configuration: only when
// the environment variable TICKLER_EVENT_TAP=<path> is set does the relay hand it every run of
// events the bus acknowledged, and it appends each as one JSON line
// {"topic": "<topic>", "cloudevent": <the CloudEvents JSON the bus sends>} to <path>.<pid>.
// Unset, a published run costs the relay one test of a null pointer.
#include <mutex>
#include <string>
#include <vector>

#include "bus/event.hpp"

namespace tickler::outbox {

class EventTap {
 public:
  inline static constexpr const char* k_variable = "TICKLER_EVENT_TAP";

  // The process's tap (writing to <$TICKLER_EVENT_TAP>.<pid>), or nullptr when the variable is
  // unset or empty; read once.
  [[nodiscard]] static EventTap* from_environment();

  // Appends to `file` (created on the first record).
  explicit EventTap(std::string file);
  EventTap(const EventTap&) = delete;
  EventTap& operator=(const EventTap&) = delete;
  ~EventTap();

  void record(const std::vector<bus::Event>& events);

 private:
  std::string file_;
  std::mutex mutex_;
  int fd_ = -1;  // guarded by mutex_
  bool failed_ = false;
};

}  // namespace tickler::outbox
