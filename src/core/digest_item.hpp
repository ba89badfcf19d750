#pragma once
// A task as the daily digest lists it: read from the api's tasks (in-process, or over the api's
// POST /internal/digest in the distributed mode), rendered by the notifier's channels.
#include <string>

#include "core/task.hpp"

namespace tickler::core {

struct DigestItem {
  TaskId task_id = 0;
  std::string title;
  Instant due_at{};
  std::string time_zone = "UTC";  // the task's: its due time is shown there
  bool overdue = false;           // set by the notifier: due before the digest's time
};

}  // namespace tickler::core
