#pragma once
// Fires the reminders whose jobs the process's Scheduler hands over. Which handler a scheduler
// gets depends on whose clock it fires by (app/ chooses, building the scheduler):
//   fire          the in-process timer queue, which hands a job over only at its instant by our
//                 clock: fires them; a failure is logged (the sweep fires what was missed);
//   fire_checked  the Dapr Jobs API, which fires by the scheduler's clock: a reminder the
//                 notifier's clock does not find due yet is waited for when that is a hair
//                 (at most 2 s), scheduled again when further out; an error fails the trigger
//                 (and the Jobs API retries it).
#include <string>
#include <vector>

#include "bus/scheduler.hpp"
#include "services/notifier/notifier_service.hpp"
#include "store/store.hpp"

namespace tickler::services::notifier {

class JobFiring {
 public:
  JobFiring(NotifierService& notifier, store::Store& store) : notifier_(notifier), store_(store) {}

  // Where fire_checked schedules again; set before the first job comes due.
  void set_scheduler(bus::Scheduler* scheduler) { scheduler_ = scheduler; }

  void fire(const std::vector<std::string>& names);
  core::Status fire_checked(const std::vector<std::string>& names);

 private:
  NotifierService& notifier_;
  store::Store& store_;
  bus::Scheduler* scheduler_ = nullptr;
};

}  // namespace tickler::services::notifier
