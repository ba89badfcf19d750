#pragma once
// The built-in assistant (no language model): reads a message with the fixed grammar
// (grammar.hpp), acts through the tool registry (ToolRunner: the same tools as MCP, so every
// change is validated, evented and audited like a REST call) and answers in plain text with
// task cards (replies.hpp). The conversation's TurnState carries a pending numbered choice or
// delete confirmation, the undo record and the task "it" names from one turn to the next.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "services/assistant/dialogue.hpp"
#include "services/assistant/replies.hpp"
#include "services/assistant/tool_runner.hpp"

namespace tickler::services::assistant {

// The audit actor of the built-in assistant's tool calls.
inline constexpr std::string_view k_built_in_actor = "assistant (built-in)";

struct TurnInput {
  std::string message;
  std::string time_zone = "UTC";  // a known IANA zone: dates are read and shown in it
  core::Instant now{};
};

// One turn: the reply, with `state` updated for the next turn.
[[nodiscard]] boost::asio::awaitable<Reply> built_in_turn(const TurnInput& input, TurnState& state,
                                                          ToolRunner& tools);

}  // namespace tickler::services::assistant
