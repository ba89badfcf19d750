#pragma once
// The wire format of a chat turn's answer (POST /api/chat), defined once for the assistant and
// for the roles that pass the route on. The complete answer is one JSON object:
//   {"conversation_id", "message": {"role":"assistant","text","actions","created_at"},
//    "awaiting": "choice" | "confirmation" | null}
// and as Server-Sent Events (text/event-stream), in this order:
//   event: conversation  data: {"conversation_id": "…"}
//   event: delta         data: {"text": "…"}          the reply's text, one piece per line
//   event: action        data: {…}                    one per action
//   event: done          data: the complete answer
// A streamed answer sends the deltas as the reply is produced (a language model's text as it
// arrives; concatenated they are the text of `done`), its actions after the text, and `done` once
// the turn is recorded; a turn that could not be recorded (409 conversation_busy) ends with
//   event: error         data: {"error": {"code", "message", "details"}}   instead of `done`.
// Dapr service invocation does not carry an event stream, so a role that passes the route on
// asks for the JSON answer and, when its client wanted the stream, renders it with
// chat_events_of.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace tickler::wire {

// One event: `event: <name>` and `data: <data as JSON>`, then the blank line.
[[nodiscard]] std::string chat_event(std::string_view name, const boost::json::value& data);

// The events of a complete answer (as above); members it lacks are left out of the events.
[[nodiscard]] std::string chat_events_of(const boost::json::object& answer);

// Whether an Accept header asks for the JSON answer rather than the event stream.
[[nodiscard]] bool wants_chat_json(std::string_view accept);

}  // namespace tickler::wire
