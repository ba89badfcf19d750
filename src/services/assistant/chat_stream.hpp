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

// The events of a streamed answer (wire/chat_answer.hpp), in their order: the conversation; the
// reply's text a piece at a time; the text not sent yet (`sent` is what was) a line at a time;
// then its actions and done, or an error (the body of an error response) when it was not kept.
[[nodiscard]] std::string conversation_event(std::string_view conversation_id);
[[nodiscard]] std::string delta_event(std::string_view piece);
[[nodiscard]] std::string unsent_events(std::string_view text, std::string_view sent);
[[nodiscard]] std::string closing_events(std::string_view conversation_id, const Reply& reply,
                                         core::Instant at, const TurnState& state);
[[nodiscard]] std::string error_event(std::string_view error_body);

// Whether the Accept header asks for one JSON answer rather than the event stream.
[[nodiscard]] bool wants_json(std::string_view accept);

}  // namespace tickler::services::assistant
