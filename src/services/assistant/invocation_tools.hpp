#pragma once
// The assistant role's tools: a tool of the registry run as its REST route on the api through
// Dapr service invocation (wire/tool_calls makes the request and reads the answer, as for
// PipelineTools). The request carries the caller's own credential (Authorization as it came,
// so the api checks it again: revocation, disabled account, scopes), the audit actor in
// X-Tickler-Actor and its proof in X-Tickler-Actor-Proof, made by the signer app/ provides
// (app/assistant_actor.hpp: the api believes the actor only with it; docs/assistant.md).
#include <functional>
#include <string>

#include "base/offload.hpp"
#include "bus/dapr/sidecar_client.hpp"
#include "services/assistant/assistant_service.hpp"
#include "services/assistant/tool_runner.hpp"

namespace tickler::services::assistant {

// The headers naming the audit actor of a tool call of the assistant role, and its proof.
inline constexpr std::string_view k_actor_header = "X-Tickler-Actor";
inline constexpr std::string_view k_actor_proof_header = "X-Tickler-Actor-Proof";

// The proof of an actor for a request with this Authorization value.
using ActorSigner =
    std::function<std::string(std::string_view actor, std::string_view authorization)>;

class InvocationTools final : public ToolRunner {
 public:
  // The client and the pool must outlive this object.
  InvocationTools(bus::dapr::DaprClient& dapr, base::Offload& offload, std::string api_app_id,
                  std::string authorization, std::string actor, std::string actor_proof,
                  std::string request_id)
      : dapr_(dapr),
        offload_(offload),
        api_app_id_(std::move(api_app_id)),
        authorization_(std::move(authorization)),
        actor_(std::move(actor)),
        actor_proof_(std::move(actor_proof)),
        request_id_(std::move(request_id)) {}

  boost::asio::awaitable<wire::ToolOutcome> call(std::string_view tool,
                                                 const boost::json::object& arguments) override;

 private:
  bus::dapr::DaprClient& dapr_;
  base::Offload& offload_;
  std::string api_app_id_;
  std::string authorization_;
  std::string actor_;
  std::string actor_proof_;
  std::string request_id_;
};

// A turn's InvocationTools: the caller's Authorization, the principal's actor and its proof.
[[nodiscard]] ToolsFactory tools_by_invocation(bus::dapr::DaprClient& dapr, base::Offload& offload,
                                               std::string api_app_id, ActorSigner sign);

}  // namespace tickler::services::assistant
