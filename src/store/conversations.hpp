#pragma once
// The conversations area of the Store: the chat assistant's conversations, their messages and
// the state a conversation carries between turns (a pending choice or confirmation, the undo
// record), read and changed inside a transaction (see store.hpp). Rows go with their user
// (ON DELETE CASCADE). The limits (messages kept per conversation, conversations per user) are
// the caller's: append_conversation_turn and trim_conversations apply them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::store {

struct Conversation {
  std::string id;  // opaque, chosen by the caller (unique)
  core::UserId user_id = 0;
  std::string title;
  std::string state = "{}";  // JSON: what the next turn needs; the assistant's own format
  core::Instant created_at{};
  core::Instant updated_at{};
  std::int64_t version = 0;  // turns appended: the ETag of a later concurrent-turn check
};

struct ConversationMessage {
  std::int64_t seq = 0;  // 1, 2, … within the conversation; assigned by the store
  std::string role;      // user | assistant
  std::string text;
  std::string actions = "[]";  // JSON array: the structured actions of an assistant message
  core::Instant created_at{};
};

class ConversationReader {
 public:
  virtual ~ConversationReader() = default;
  // The user's conversations, the most recently updated first.
  virtual core::Result<std::vector<Conversation>> conversations(core::UserId user, int limit) = 0;
  // The conversation if it exists and is the user's.
  virtual core::Result<std::optional<Conversation>> conversation(core::UserId user,
                                                                 std::string_view id) = 0;
  // The conversation's last `limit` messages, oldest first (nothing for another user's).
  virtual core::Result<std::vector<ConversationMessage>> conversation_messages(core::UserId user,
                                                                               std::string_view id,
                                                                               int limit) = 0;
};

class ConversationWriter : public virtual ConversationReader {
 public:
  // conflict when the id exists.
  virtual core::Status insert_conversation(const Conversation& conversation) = 0;
  // Appends the messages after the last one (seq numbers assigned in order), sets the state,
  // updated_at = `at` and version + 1, then keeps only the newest `keep_messages` messages.
  // not_found when the user has no such conversation.
  virtual core::Status append_conversation_turn(core::UserId user, std::string_view id,
                                                const std::vector<ConversationMessage>& messages,
                                                std::string_view state, core::Instant at,
                                                int keep_messages) = 0;
  // False when the user has no such conversation.
  virtual core::Result<bool> delete_conversation(core::UserId user, std::string_view id) = 0;
  // Deletes the user's conversations beyond the `keep` most recently updated; how many went.
  virtual core::Result<int> trim_conversations(core::UserId user, int keep) = 0;
};

}  // namespace tickler::store
