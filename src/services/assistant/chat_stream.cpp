#include "services/assistant/chat_stream.hpp"

#include <boost/json/serialize.hpp>

namespace tickler::services::assistant {
namespace {

void event(std::string& out, std::string_view name, const boost::json::value& data) {
  out += "event: ";
  out += name;
  out += "\ndata: ";
  out += boost::json::serialize(data);  // JSON has no raw newline: one data line
  out += "\n\n";
}

}  // namespace

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
  std::string out;
  event(out, "conversation", boost::json::object{{"conversation_id", conversation_id}});
  std::string_view text = reply.text;
  bool first = true;
  while (!text.empty() || first) {
    const auto nl = text.find('\n');
    std::string piece = first ? "" : "\n";
    piece += text.substr(0, nl);
    event(out, "delta", boost::json::object{{"text", piece}});
    first = false;
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  for (const auto& action : reply.actions) event(out, "action", action);
  event(out, "done", chat_json(conversation_id, reply, at, state));
  return out;
}

bool wants_json(std::string_view accept) {
  return accept.find("application/json") != std::string_view::npos &&
         accept.find("text/event-stream") == std::string_view::npos;
}

}  // namespace tickler::services::assistant
