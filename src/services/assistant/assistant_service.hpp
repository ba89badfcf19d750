#pragma once
// The chat assistant's routes: POST /api/chat (one turn of a conversation, the reply streamed as
// Server-Sent Events, or one JSON answer for Accept: application/json), GET /api/conversations,
// GET and DELETE /api/conversations/{id}. A turn runs the built-in assistant with the caller's
// principal and the assistant as audit actor, its tools through the request pipeline; the
// conversation and its state live behind the Conversations interface.
#include <memory>
#include <string>

#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "services/assistant/conversations.hpp"

namespace tickler::services::assistant {

struct AssistantSettings {
  ConversationLimits limits;
};

class AssistantService {
 public:
  AssistantService(AssistantSettings settings, std::unique_ptr<Conversations> conversations,
                   const http::Pipeline& pipeline)
      : settings_(settings), conversations_(std::move(conversations)), pipeline_(pipeline) {}

  void register_routes(http::Router& router);

  http::net::awaitable<http::Response> chat(http::RequestContext& ctx);
  http::net::awaitable<http::Response> list(http::RequestContext& ctx);
  http::net::awaitable<http::Response> show(http::RequestContext& ctx);
  http::net::awaitable<http::Response> remove(http::RequestContext& ctx);

 private:
  AssistantSettings settings_;
  std::unique_ptr<Conversations> conversations_;
  const http::Pipeline& pipeline_;
};

}  // namespace tickler::services::assistant
