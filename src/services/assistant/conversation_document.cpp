#include "services/assistant/conversation_document.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace tickler::services::assistant {
namespace {

namespace json = boost::json;

core::Error malformed(std::string_view what) {
  return core::make_error(core::Errc::invalid_json,
                          "stored " + std::string{what} + " is not of the expected shape");
}

json::object summary_json(const store::Conversation& c) {
  return {{"id", c.id},
          {"user_id", c.user_id},
          {"title", c.title},
          {"created_at", core::to_millis(c.created_at)},
          {"updated_at", core::to_millis(c.updated_at)}};
}

// Throws (caught by the callers) when a member is missing or of another type.
store::Conversation summary_from(const json::object& o) {
  store::Conversation c;
  c.id = json::value_to<std::string>(o.at("id"));
  c.user_id = o.at("user_id").to_number<core::UserId>();
  c.title = json::value_to<std::string>(o.at("title"));
  c.created_at = core::from_millis(o.at("created_at").to_number<std::int64_t>());
  c.updated_at = core::from_millis(o.at("updated_at").to_number<std::int64_t>());
  return c;
}

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

}  // namespace

std::string conversation_key(core::UserId user, std::string_view id) {
  return "conversation-" + std::to_string(user) + "-" + std::string{id};
}

std::string index_key(core::UserId user) {
  return "conversations-" + std::to_string(user);
}

std::string document_to_json(const ConversationDocument& d) {
  auto o = summary_json(d.conversation);
  o["state"] = d.conversation.state;
  o["version"] = d.conversation.version;
  o["last_seq"] = d.last_seq;
  json::array messages;
  for (const auto& m : d.messages) {
    messages.push_back(json::object{{"seq", m.seq},
                                    {"role", m.role},
                                    {"text", m.text},
                                    {"actions", m.actions},
                                    {"created_at", core::to_millis(m.created_at)}});
  }
  o["messages"] = std::move(messages);
  return json::serialize(o);
}

core::Result<ConversationDocument> document_from_json(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return malformed("conversation");
  try {
    ConversationDocument d;
    d.conversation = summary_from(*o);
    d.conversation.state = json::value_to<std::string>(o->at("state"));
    d.conversation.version = o->at("version").to_number<std::int64_t>();
    d.last_seq = o->at("last_seq").to_number<std::int64_t>();
    for (const auto& v : o->at("messages").as_array()) {
      const auto& m = v.as_object();
      d.messages.push_back(
          {m.at("seq").to_number<std::int64_t>(), json::value_to<std::string>(m.at("role")),
           json::value_to<std::string>(m.at("text")), json::value_to<std::string>(m.at("actions")),
           core::from_millis(m.at("created_at").to_number<std::int64_t>())});
    }
    return d;
  } catch (const std::exception&) {
    return malformed("conversation");
  }
}

std::string index_to_json(const ConversationIndex& index) {
  json::array items;
  for (const auto& c : index.items) items.push_back(summary_json(c));
  return json::serialize(json::object{{"items", std::move(items)}});
}

core::Result<ConversationIndex> index_from_json(std::string_view text) {
  auto o = parse_object(text);
  if (!o) return malformed("conversation index");
  try {
    ConversationIndex index;
    for (const auto& v : o->at("items").as_array()) {
      index.items.push_back(summary_from(v.as_object()));
    }
    return index;
  } catch (const std::exception&) {
    return malformed("conversation index");
  }
}

void apply_turn(ConversationDocument& d, const ConversationTurn& turn, int keep_messages) {
  for (auto m : turn.messages) {
    m.seq = ++d.last_seq;
    d.messages.push_back(std::move(m));
  }
  const auto keep = static_cast<std::size_t>(std::max(keep_messages, 0));
  if (d.messages.size() > keep) {
    d.messages.erase(d.messages.begin(),
                     d.messages.begin() + static_cast<std::ptrdiff_t>(d.messages.size() - keep));
  }
  d.conversation.state = turn.state;
  d.conversation.updated_at = turn.at;
  ++d.conversation.version;
}

std::vector<std::string> put_first(ConversationIndex& index, const store::Conversation& summary,
                                   int keep) {
  remove_entry(index, summary.id);
  store::Conversation entry = summary;
  entry.state.clear();
  index.items.insert(index.items.begin(), std::move(entry));
  std::vector<std::string> dropped;
  const auto limit = static_cast<std::size_t>(std::max(keep, 0));
  while (index.items.size() > limit) {
    dropped.push_back(std::move(index.items.back().id));
    index.items.pop_back();
  }
  return dropped;
}

bool remove_entry(ConversationIndex& index, std::string_view id) {
  const auto before = index.items.size();
  std::erase_if(index.items, [&](const store::Conversation& c) { return c.id == id; });
  return index.items.size() != before;
}

}  // namespace tickler::services::assistant
