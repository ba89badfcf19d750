#pragma once
// The wire format of a chat reply. POST /api/chat answers with Server-Sent Events
// (text/event-stream), in this order:
//   event: conversation  data: {"conversation_id": "…"}
//   event: delta         data: {"text": "…"}          the reply's text, one piece per line
//   event: action        data: {…}                    one per action (replies.hpp)
//   event: done          data: the complete answer, as chat_json
// or, for a client that sends Accept: application/json (and not text/event-stream), with the
// complete answer as one JSON object:
//   {"conversation_id", "message": {"role":"assistant","text","actions","created_at"},
//    "awaiting": "choice" | "confirmation" | null}
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
