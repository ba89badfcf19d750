#pragma once
// The assistant as its own role (tickler assistant): the same AssistantService as tickler serve,
// with its conversations in a Dapr state store (DaprConversations) and its tools run against the
// api through service invocation (InvocationTools). It also consumes task-events for one event:
// tickler.user.deleted.v1, on which it deletes the user's conversations (the embedded store
// deletes them with the user's row).
#include <memory>
#include <string>

#include "bus/dapr/sidecar_client.hpp"
#include "services/assistant/assistant_service.hpp"
#include "services/assistant/invocation_tools.hpp"
#include "services/ports.hpp"

namespace tickler::services::assistant {

// The assistant role's consumer name on task-events.
inline constexpr std::string_view k_consumer = "assistant";

struct DistributedAssistantSettings {
  std::string state_store = "tickler-state";  // a Dapr state store with ETags (state.postgresql)
  std::string api_app_id = "tickler-api";     // where tools run
  ActorSigner sign_actor;                     // the proof of a tool call's audit actor
};

// The client must outlive the service.
[[nodiscard]] std::unique_ptr<AssistantService> wire_distributed_assistant(
    const Ports& ports, AssistantSettings settings, bus::dapr::DaprClient& dapr,
    DistributedAssistantSettings distributed);

}  // namespace tickler::services::assistant
