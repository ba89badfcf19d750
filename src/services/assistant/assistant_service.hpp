#pragma once
// The chat assistant's routes: POST /api/chat (one turn of a conversation, the reply streamed as
// Server-Sent Events, or one JSON answer for Accept: application/json), GET /api/conversations,
// GET and DELETE /api/conversations/{id}. A turn runs the built-in assistant, or with a language
// model configured (settings.llm) the agent loop over it, with the caller's principal and the
// assistant as audit actor, its tools through the request pipeline; the conversation and its
// state live behind the Conversations interface.
#include <memory>
#include <string>

#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "services/assistant/built_in.hpp"
#include "services/assistant/conversations.hpp"
#include "services/assistant/llm_client.hpp"
#include "services/assistant/replies.hpp"

namespace tickler::services::assistant {

struct AssistantSettings {
  ConversationLimits limits;
  LlmSettings llm;  // no url: the built-in assistant
};

class AssistantService {
 public:
  AssistantService(AssistantSettings settings, std::unique_ptr<Conversations> conversations,
                   const http::Pipeline& pipeline)
      : settings_(settings),
        conversations_(std::move(conversations)),
        pipeline_(pipeline),
        model_(settings_.llm.configured() ? std::make_unique<LlmClient>(settings_.llm) : nullptr) {}

  void register_routes(http::Router& router);

  http::net::awaitable<http::Response> chat(http::RequestContext& ctx);
  http::net::awaitable<http::Response> list(http::RequestContext& ctx);
  http::net::awaitable<http::Response> show(http::RequestContext& ctx);
  http::net::awaitable<http::Response> remove(http::RequestContext& ctx);

 private:
  // A turn of the agent loop, given the conversation's earlier messages (none when `fresh`).
  http::net::awaitable<Reply> model_turn(const store::Conversation& conversation, bool fresh,
                                         const TurnInput& input, TurnState& state,
                                         ToolRunner& tools);

  AssistantSettings settings_;
  std::unique_ptr<Conversations> conversations_;
  const http::Pipeline& pipeline_;
  std::unique_ptr<ChatModel> model_;  // the language model; null: the built-in assistant
};

}  // namespace tickler::services::assistant
