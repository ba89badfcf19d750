#include "services/assistant/chat_stream.hpp"

#include "wire/chat_answer.hpp"

namespace tickler::services::assistant {

boost::json::value awaiting(const TurnState& state) {
  if (state.awaiting_choice()) return "choice";
  if (state.confirm_delete) return "confirmation";
  return nullptr;
}

boost::json::object chat_json(std::string_view conversation_id, const Reply& reply,
                              core::Instant at, const TurnState& state) {
  return {{"conversation_id", conversation_id},
          {"message",
           {{"role", "assistant"},
            {"text", reply.text},
            {"actions", reply.actions},
            {"created_at", core::format_rfc3339(at)}}},
          {"awaiting", awaiting(state)}};
}

std::string chat_events(std::string_view conversation_id, const Reply& reply, core::Instant at,
                        const TurnState& state) {
  return wire::chat_events_of(chat_json(conversation_id, reply, at, state));
}

bool wants_json(std::string_view accept) {
  return wire::wants_chat_json(accept);
}

}  // namespace tickler::services::assistant
