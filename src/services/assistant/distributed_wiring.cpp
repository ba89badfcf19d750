#include "services/assistant/distributed_wiring.hpp"

#include "services/assistant/dapr_conversations.hpp"
#include "services/assistant/invocation_tools.hpp"
#include "wire/messages.hpp"

namespace tickler::services::assistant {
namespace {

// A deleted account's conversations go; every other event of the topic is not the assistant's.
bus::Verdict on_task_event(DaprConversations* conversations, const bus::Event& event) {
  auto message = wire::read_task_events(event.type, event.data);
  if (!message) return bus::Verdict::drop(message.error().message);
  const auto* deleted = std::get_if<wire::UserDeleted>(&*message);
  if (!deleted) return bus::Verdict::ok();
  if (auto st = conversations->remove_user(deleted->user_id); !st) {
    return bus::Verdict::retry(st.error().message);
  }
  return bus::Verdict::ok();
}

}  // namespace

std::unique_ptr<AssistantService> wire_distributed_assistant(
    const Ports& ports, AssistantSettings settings, bus::dapr::DaprClient& dapr,
    DistributedAssistantSettings distributed) {
  auto conversations = std::make_unique<DaprConversations>(
      dapr, ports.offload, std::move(distributed.state_store), settings.limits);
  ports.bus.subscribe(std::string{wire::topic::task_events}, std::string{k_consumer},
                      std::bind_front(&on_task_event, conversations.get()));
  auto service = std::make_unique<AssistantService>(
      settings, std::move(conversations), ports.pipeline,
      tools_by_invocation(dapr, ports.offload, std::move(distributed.api_app_id),
                          std::move(distributed.sign_actor)));
  service->register_routes(ports.router);
  return service;
}

}  // namespace tickler::services::assistant
