#include "services/assistant/chat_stream.hpp"

#include <boost/json/parse.hpp>

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

std::string conversation_event(std::string_view conversation_id) {
  return wire::chat_event("conversation",
                          boost::json::object{{"conversation_id", conversation_id}});
}

std::string delta_event(std::string_view piece) {
  return wire::chat_event("delta", boost::json::object{{"text", piece}});
}

std::string unsent_events(std::string_view text, std::string_view sent) {
  if (!text.starts_with(sent)) return {};  // done's text is the whole
  text.remove_prefix(sent.size());
  if (text.empty() && !sent.empty()) return {};
  std::string out;
  bool first = sent.empty();
  // A line at a time, as in a complete answer's events (the first piece of an empty text too).
  for (bool more = true; more;) {
    const auto nl = first ? text.find('\n') : text.find('\n', 1);
    more = nl != std::string_view::npos;
    out += delta_event(text.substr(0, nl));
    if (more) text.remove_prefix(nl);
    first = false;
  }
  return out;
}

std::string closing_events(std::string_view conversation_id, const Reply& reply, core::Instant at,
                           const TurnState& state) {
  std::string out;
  for (const auto& action : reply.actions) out += wire::chat_event("action", action);
  out += wire::chat_event("done", chat_json(conversation_id, reply, at, state));
  return out;
}

std::string error_event(std::string_view error_body) {
  boost::system::error_code ec;
  auto body = boost::json::parse(error_body, ec);
  return wire::chat_event("error", ec ? boost::json::value{} : body);
}

bool wants_json(std::string_view accept) {
  return wire::wants_chat_json(accept);
}

}  // namespace tickler::services::assistant
