#pragma once
// The chat assistant's routes: POST /api/chat (one turn of a conversation, the reply streamed as
// Server-Sent Events written as the reply is produced, or one JSON answer for Accept:
// application/json), GET /api/conversations,
// GET and DELETE /api/conversations/{id}. A turn runs the built-in assistant, or with a language
// model configured (settings.llm) the agent loop over it, with the caller's principal and the
// assistant as audit actor, its tools through the request pipeline; the conversation and its
// state live behind the Conversations interface. Turns with the model take a slot of ModelSlots
// (a fair share per user; 429 assistant_busy beyond it).
#include <functional>
#include <memory>
#include <string>

#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "services/assistant/built_in.hpp"
#include "services/assistant/conversations.hpp"
#include "services/assistant/llm_client.hpp"
#include "services/assistant/model_slots.hpp"
#include "services/assistant/replies.hpp"
#include "services/assistant/tool_runner.hpp"

namespace tickler::services::assistant {

struct AssistantSettings {
  ConversationLimits limits;
  LlmSettings llm;  // no url: the built-in assistant
};

// The ToolRunner of one turn: its tools run as `principal` (the caller's, its actor the
// assistant's). Empty: PipelineTools over the process's own request pipeline (tickler serve);
// the assistant role runs them against the api over service invocation.
using ToolsFactory = std::function<std::unique_ptr<ToolRunner>(const http::RequestContext& ctx,
                                                               http::Principal principal)>;

class AssistantService {
 public:
  AssistantService(AssistantSettings settings, std::unique_ptr<Conversations> conversations,
                   const http::Pipeline& pipeline, ToolsFactory tools = {})
      : settings_(settings),
        conversations_(std::move(conversations)),
        pipeline_(pipeline),
        tools_(std::move(tools)),
        model_(settings_.llm.configured() ? std::make_unique<LlmClient>(settings_.llm) : nullptr),
        slots_(settings_.llm.concurrency, settings_.llm.per_user) {}

  void register_routes(http::Router& router);

  http::net::awaitable<http::Response> chat(http::RequestContext& ctx);
  http::net::awaitable<http::Response> list(http::RequestContext& ctx);
  http::net::awaitable<http::Response> show(http::RequestContext& ctx);
  http::net::awaitable<http::Response> remove(http::RequestContext& ctx);

 private:
  struct Turn;
  // A turn of the agent loop, given the conversation's earlier messages (none when `fresh`).
  http::net::awaitable<Reply> model_turn(const store::Conversation& conversation, bool fresh,
                                         const TurnInput& input, TurnState& state,
                                         ToolRunner& tools, ReplyStream* out);
  // Runs a turn (its reply's text to `out` as it is produced, when given) and appends it.
  http::net::awaitable<Reply> run(Turn& turn, ReplyStream* out);
  http::net::awaitable<core::Status> append(Turn& turn, const Reply& reply);
  // The body of a streamed answer: the turn's events as they are produced.
  http::net::awaitable<void> stream_turn(std::shared_ptr<Turn> turn, http::StreamWriter& writer);

  AssistantSettings settings_;
  std::unique_ptr<Conversations> conversations_;
  [[nodiscard]] std::unique_ptr<ToolRunner> tools_for(const http::RequestContext& ctx,
                                                      http::Principal principal) const;

  const http::Pipeline& pipeline_;
  ToolsFactory tools_;
  std::unique_ptr<ChatModel> model_;  // the language model; null: the built-in assistant
  ModelSlots slots_;                  // who may call the model now
};

}  // namespace tickler::services::assistant
