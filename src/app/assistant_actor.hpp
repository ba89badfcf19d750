#pragma once
// Who the api's audit trail names for a tool call of the assistant role: the role calls the api
// through service invocation with the user's own credential and the actor in X-Tickler-Actor
// ("assistant (built-in)", "assistant (<model>)"). The api believes the header only when the
// request came through its sidecar (the app token) from the assistant's app id (the caller id
// the calling sidecar sets), for a credential that is not audience-bound (OAuth), and only for a
// well-formed assistant actor: a browser, whose requests reach the api directly or through the
// frontend (which passes on no such header), cannot name an actor.
#include <string>
#include <string_view>

#include "http/pipeline.hpp"

namespace tickler::app {

// "assistant (" + 1–64 printable characters without parentheses + ")".
[[nodiscard]] bool is_assistant_actor(std::string_view actor);

// The api's http::ActorOverride; an empty app token trusts nothing (nothing proves the sidecar).
[[nodiscard]] http::ActorOverride assistant_actor_override(std::string app_token,
                                                           std::string assistant_app_id);

}  // namespace tickler::app
