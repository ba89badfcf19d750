#include "wire/chat_answer.hpp"

#include <boost/json/serialize.hpp>

namespace tickler::wire {
namespace {

void event(std::string& out, std::string_view name, const boost::json::value& data) {
  out += "event: ";
  out += name;
  out += "\ndata: ";
  out += boost::json::serialize(data);  // JSON has no raw newline: one data line
  out += "\n\n";
}

const boost::json::value* member(const boost::json::object& o, std::string_view key) {
  const auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

}  // namespace

std::string chat_event(std::string_view name, const boost::json::value& data) {
  std::string out;
  event(out, name, data);
  return out;
}

std::string chat_events_of(const boost::json::object& answer) {
  std::string out;
  const auto* id = member(answer, "conversation_id");
  event(out, "conversation",
        boost::json::object{{"conversation_id", id ? *id : boost::json::value{}}});
  const auto* message = member(answer, "message");
  const auto* msg = message ? message->if_object() : nullptr;
  const auto* text_value = msg ? member(*msg, "text") : nullptr;
  std::string_view text;
  if (text_value && text_value->is_string()) text = text_value->get_string();
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
  const auto* actions = msg ? member(*msg, "actions") : nullptr;
  if (actions && actions->is_array()) {
    for (const auto& action : actions->get_array()) event(out, "action", action);
  }
  event(out, "done", answer);
  return out;
}

bool wants_chat_json(std::string_view accept) {
  return accept.find("application/json") != std::string_view::npos &&
         accept.find("text/event-stream") == std::string_view::npos;
}

}  // namespace tickler::wire
