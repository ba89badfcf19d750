#include "services/assistant/assistant_wiring.hpp"

namespace tickler::services::assistant {

std::unique_ptr<AssistantService> wire_assistant(const Ports& ports, AssistantSettings settings) {
  auto conversations = std::make_unique<StoreConversations>(ports.require_store("the assistant"),
                                                            ports.offload, settings.limits);
  auto service =
      std::make_unique<AssistantService>(settings, std::move(conversations), ports.pipeline);
  service->register_routes(ports.router);
  return service;
}

}  // namespace tickler::services::assistant
