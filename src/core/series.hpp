#pragma once
// The request that creates the next occurrence of a recurring task: produced by the recurrer,
// served by the api (in-process call, or service invocation in distributed mode).
#include "core/task.hpp"

namespace tickler::core {

struct OccurrenceRequest {
  UserId user_id = 0;
  TaskId previous_id = 0;  // the occurrence that was completed
  int previous_index = 0;  // its index in the series
  TaskId series_id = 0;
  int index = 0;  // the new occurrence's index
  Instant due{};
};

}  // namespace tickler::core
