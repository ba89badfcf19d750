#pragma once
// The Scheduler: named one-shot jobs at an instant. Scheduling a name again moves its job;
// cancel forgets it. Due jobs go to the handler the implementation was built with (in-process
// timer queue) or come back as POST /job/{name} (Dapr Jobs API).
#include <string>

#include "core/time.hpp"

namespace tickler::bus {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual void schedule(const std::string& name, core::Instant at) = 0;
  virtual void cancel(const std::string& name) = 0;
};

}  // namespace tickler::bus
