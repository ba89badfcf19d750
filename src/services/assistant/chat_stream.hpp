#pragma once
// A chat reply in the wire format of wire/chat_answer.hpp: POST /api/chat answers with
// Server-Sent Events (chat_events), or, for a client that sends Accept: application/json (and
// not text/event-stream), with the complete answer as one JSON object (chat_json).
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "services/assistant/dialogue.hpp"
#include "services/assistant/replies.hpp"

namespace tickler::services::assistant {

// What the conversation waits for: "choice", "confirmation", or null.
[[nodiscard]] boost::json::value awaiting(const TurnState& state);

[[nodiscard]] boost::json::object chat_json(std::string_view conversation_id, const Reply& reply,
                                            core::Instant at, const TurnState& state);

[[nodiscard]] std::string chat_events(std::string_view conversation_id, const Reply& reply,
                                      core::Instant at, const TurnState& state);

// Whether the Accept header asks for one JSON answer rather than the event stream.
[[nodiscard]] bool wants_json(std::string_view accept);

}  // namespace tickler::services::assistant
