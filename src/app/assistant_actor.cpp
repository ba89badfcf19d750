#include "app/assistant_actor.hpp"

#include "bus/dapr/dapr_bus.hpp"
#include "services/assistant/invocation_tools.hpp"

namespace tickler::app {

bool is_assistant_actor(std::string_view actor) {
  constexpr std::string_view prefix = "assistant (";
  if (!actor.starts_with(prefix) || !actor.ends_with(")")) return false;
  const auto name = actor.substr(prefix.size(), actor.size() - prefix.size() - 1);
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '(' || c == ')') return false;
  }
  return true;
}

http::ActorOverride assistant_actor_override(std::string app_token, std::string assistant_app_id) {
  return [token = std::move(app_token), app = std::move(assistant_app_id)](
             const http::Request& request, http::Principal& principal) {
    const auto actor = request[services::assistant::k_actor_header];
    if (actor.empty() || token.empty() || !principal.audience.empty()) return;
    if (!bus::dapr::from_sidecar(request, token)) return;
    if (request["dapr-caller-app-id"] != app) return;
    if (!is_assistant_actor(actor)) return;
    principal.actor = std::string{actor};
  };
}

}  // namespace tickler::app
