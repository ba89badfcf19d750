#pragma once
// The recurrer wired into a process: its subscription to task-events (consumer "recurrer").
// What creates the occurrences is the process's: in tickler serve the api's TaskService
// (api::create_recurrer_occurrence), in tickler recurrer the api by service invocation
// (occurrences_by_invocation). Both call the same wire_recurrer.
#include <memory>

#include "services/ports.hpp"
#include "services/recurrer/recurrer_service.hpp"

namespace tickler::services::recurrer {

[[nodiscard]] std::unique_ptr<RecurrerService> wire_recurrer(const Ports& ports,
                                                             CreateOccurrence create);

}  // namespace tickler::services::recurrer
