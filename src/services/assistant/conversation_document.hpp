#pragma once
// What DaprConversations keeps in the state store, as JSON both ways, and the pure changes made
// to it: a conversation's document (summary, state, version, its last messages) and a user's
// index of conversations (most recently used first). No I/O here.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "services/assistant/conversations.hpp"

namespace tickler::services::assistant {

struct ConversationDocument {
  store::Conversation conversation;
  std::int64_t last_seq = 0;                         // the seq of the newest message ever appended
  std::vector<store::ConversationMessage> messages;  // oldest first
};

// The user's conversations, most recently used first (summaries: no state, no messages).
struct ConversationIndex {
  std::vector<store::Conversation> items;
};

[[nodiscard]] std::string conversation_key(core::UserId user, std::string_view id);
[[nodiscard]] std::string index_key(core::UserId user);

[[nodiscard]] std::string document_to_json(const ConversationDocument& document);
// invalid_json when the text is not a document of this shape.
[[nodiscard]] core::Result<ConversationDocument> document_from_json(std::string_view text);
[[nodiscard]] std::string index_to_json(const ConversationIndex& index);
[[nodiscard]] core::Result<ConversationIndex> index_from_json(std::string_view text);

// Appends the turn's messages (numbered after last_seq), sets the state, updated_at = turn.at
// and version + 1, then keeps only the newest `keep_messages` messages.
void apply_turn(ConversationDocument& document, const ConversationTurn& turn, int keep_messages);
// Puts the summary first (in place of an entry with its id) and keeps the first `keep`
// entries; answers the ids of those it dropped.
[[nodiscard]] std::vector<std::string> put_first(ConversationIndex& index,
                                                 const store::Conversation& summary, int keep);
// Removes the entry with this id; false when there was none.
bool remove_entry(ConversationIndex& index, std::string_view id);

}  // namespace tickler::services::assistant
