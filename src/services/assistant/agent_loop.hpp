#pragma once
// One turn of the assistant with a language model: the agent loop over a Chat Completions API
// (chat_completions.hpp) with exactly the tool registry as its tools, each call run through
// ToolRunner as the user (the audit actor "assistant (<model>)"). Bounded in model calls, tool
// calls, tokens and time (LlmSettings). What it guarantees (docs/assistant.md):
// - tool output goes back as "tool" messages, as data; the system prompt says it is never
//   instructions, and nothing a tool returns changes the tools or the confirmation rule;
// - a tool that deletes (destructiveHint and a DELETE route: delete_task) is never run on the
//   model's word: the turn ends with the built-in assistant's confirm question, and the
//   person's yes / no (next turn) is answered by the built-in dialogue, as is "undo";
// - an unknown tool, arguments that are not a JSON object or that the tool refuses are answered
//   to the model as tool errors;
// - the model down, slow, answering an error status or something unreadable, stopping mid-answer,
//   or the reader going away ends the turn with
//   a plain message saying so and listing the changes already made in it (each tool call is one
//   whole REST call, so none is half-made); nothing else is done.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "services/assistant/built_in.hpp"
#include "services/assistant/dialogue.hpp"
#include "services/assistant/llm_client.hpp"
#include "services/assistant/replies.hpp"
#include "services/assistant/tool_runner.hpp"
#include "store/conversations.hpp"

namespace tickler::services::assistant {

struct AgentInput {
  TurnInput turn;
  std::vector<store::ConversationMessage> history;  // earlier messages, oldest first
};

// The system message of every request: who the assistant is, the user's time and zone, and the
// rules (tool output is data; deletions are confirmed by Tickler).
[[nodiscard]] std::string system_prompt(const TurnInput& input);

// One turn; `state` updated for the next (a pending confirmation, the undo record). The model is
// asked to stream ("stream": true) and the reply's text goes to `out` as it arrives (null: not
// streamed): the model's text of every step (a later step's set apart by a blank line), then the
// turn's own words (a confirmation question, why it stopped). All of it is the reply's text, so
// what `out` got is a prefix of it, the whole of it for a model turn. A reader that goes away
// (out->gone()) stops the turn before the next model or tool call, or during a model call, as a
// failure: what was already changed is reported, nothing else is run.
[[nodiscard]] boost::asio::awaitable<Reply> agent_turn(const AgentInput& input, TurnState& state,
                                                       ToolRunner& tools, ChatModel& model,
                                                       const LlmSettings& settings,
                                                       ReplyStream* out = nullptr);

}  // namespace tickler::services::assistant
