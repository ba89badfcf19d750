#pragma once
// POST /api/chat passed on over Dapr service invocation (frontend → api → assistant). daprd does
// not carry an event stream back, so the route asks the next hop for the JSON answer and, when
// its own client wanted the stream, sends that answer as the events of wire/chat_answer.hpp:
// the same events the assistant would have sent (its replies are complete when they are sent).
#include "http/types.hpp"

namespace tickler::app {

[[nodiscard]] http::Handler chat_over_invocation(http::Handler forward);

}  // namespace tickler::app
