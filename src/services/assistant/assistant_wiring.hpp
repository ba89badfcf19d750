#pragma once
// The assistant wired into a process: its routes (/api/chat, /api/conversations…), the
// conversations kept in the process's store, tools run through the process's request pipeline.
// tickler serve calls it; a `tickler assistant` role would call it with other Conversations
// and tools.
#include <memory>

#include "services/assistant/assistant_service.hpp"
#include "services/ports.hpp"

namespace tickler::services::assistant {

[[nodiscard]] std::unique_ptr<AssistantService> wire_assistant(const Ports& ports,
                                                               AssistantSettings settings);

}  // namespace tickler::services::assistant
