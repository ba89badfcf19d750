#pragma once
// Who the api's audit trail names for a tool call of the assistant role: the role calls the api
// through service invocation with the user's own credential, the actor in X-Tickler-Actor
// ("assistant (built-in)", "assistant (<model>)") and in X-Tickler-Actor-Proof an HMAC-SHA256 of
// the actor and that credential under a key derived from the JWT secret, which the api and the
// assistant hold and a browser does not. The api believes the actor only with a valid proof,
// for a credential that is not audience-bound (OAuth), and only a well-formed assistant actor.
// (The caller's app id cannot serve: a sidecar passes a caller's own dapr-caller-app-id header
// on as it came.)
#include <string>
#include <string_view>

#include "http/pipeline.hpp"

namespace tickler::app {

// "assistant (" + 1–64 printable characters without parentheses + ")".
[[nodiscard]] bool is_assistant_actor(std::string_view actor);

// The proof of `actor` for a request carrying `authorization` (the header's whole value).
[[nodiscard]] std::string assistant_actor_proof(std::string_view jwt_secret, std::string_view actor,
                                                std::string_view authorization);

// The api's http::ActorOverride.
[[nodiscard]] http::ActorOverride assistant_actor_override(std::string jwt_secret);

}  // namespace tickler::app
