#include "services/assistant/assistant_wiring.hpp"

#include "base/log.hpp"

namespace tickler::services::assistant {

std::unique_ptr<AssistantService> wire_assistant(const Ports& ports, AssistantSettings settings) {
  auto conversations = std::make_unique<StoreConversations>(ports.require_store("the assistant"),
                                                            ports.offload, settings.limits);
  auto service =
      std::make_unique<AssistantService>(settings, std::move(conversations), ports.pipeline);
  service->register_routes(ports.router);
  if (settings.llm.configured()) {
    base::log_json(spdlog::level::info, "the assistant answers with a language model",
                   {{"model", settings.llm.model}, {"actor", llm_actor(settings.llm)}});
  }
  return service;
}

}  // namespace tickler::services::assistant
