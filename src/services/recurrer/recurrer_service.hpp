#pragma once
// The recurrer role: on task.completed of a recurring task, computes the next occurrence
// (core/recurrence) and asks for it to be created. Creation is idempotent per series position,
// so redeliveries, a reopen and second completion, or two recurrers create one task at most.
#include <functional>

#include "bus/bus.hpp"
#include "core/result.hpp"
#include "core/series.hpp"

namespace tickler::services::recurrer {

// Creates (or finds) the requested occurrence: TaskService in-process, the api by service
// invocation in distributed mode. not_found: the previous task is gone (the series ended).
using CreateOccurrence = std::function<core::Result<core::Task>(const core::OccurrenceRequest&)>;

class RecurrerService {
 public:
  explicit RecurrerService(CreateOccurrence create) : create_(std::move(create)) {}
  // Subscriber of task-events.
  bus::Verdict on_task_event(const bus::Event& event);

 private:
  CreateOccurrence create_;
};

}  // namespace tickler::services::recurrer
