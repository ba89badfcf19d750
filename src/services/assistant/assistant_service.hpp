#pragma once
// The chat assistant's routes: POST /api/chat (one turn of a conversation, the reply streamed as
// Server-Sent Events, or one JSON answer for Accept: application/json), GET /api/conversations,
// GET and DELETE /api/conversations/{id}. A turn runs the built-in assistant with the caller's
// principal and the assistant as audit actor, its tools through the request pipeline; the
// conversation and its state live behind the Conversations interface.
#include <functional>
#include <memory>
#include <string>

#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "services/assistant/conversations.hpp"
#include "services/assistant/tool_runner.hpp"

namespace tickler::services::assistant {

struct AssistantSettings {
  ConversationLimits limits;
  std::string llm_api_key;  // the model's API key (env or secret store); empty: none
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
        tools_(std::move(tools)) {}

  void register_routes(http::Router& router);

  http::net::awaitable<http::Response> chat(http::RequestContext& ctx);
  http::net::awaitable<http::Response> list(http::RequestContext& ctx);
  http::net::awaitable<http::Response> show(http::RequestContext& ctx);
  http::net::awaitable<http::Response> remove(http::RequestContext& ctx);

 private:
  AssistantSettings settings_;
  std::unique_ptr<Conversations> conversations_;
  [[nodiscard]] std::unique_ptr<ToolRunner> tools_for(const http::RequestContext& ctx,
                                                      http::Principal principal) const;

  const http::Pipeline& pipeline_;
  ToolsFactory tools_;
};

}  // namespace tickler::services::assistant
