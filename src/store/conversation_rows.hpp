#pragma once
// The SQL and row readers of the conversations area, shared by both engines: the statements
// differ only in their placeholders, written here with $n (SQLite reads ?NNN as well, so "$1"
// becomes "?1" through sqlite_placeholders). Internal to the engines.
#include <string>

#include "store/conversations.hpp"

namespace tickler::store::conversation_sql {

inline constexpr const char* k_select_conversations =
    "SELECT id, user_id, title, state, created_at, updated_at, version FROM conversations "
    "WHERE user_id = $1 ORDER BY updated_at DESC, id LIMIT $2";
inline constexpr const char* k_select_conversation =
    "SELECT id, user_id, title, state, created_at, updated_at, version FROM conversations "
    "WHERE id = $1 AND user_id = $2";
// The last $3 messages, oldest first.
inline constexpr const char* k_select_messages =
    "SELECT seq, role, text, actions, created_at FROM (SELECT m.seq, m.role, m.text, m.actions, "
    "m.created_at FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id "
    "WHERE m.conversation_id = $1 AND c.user_id = $2 ORDER BY m.seq DESC LIMIT $3) AS recent "
    "ORDER BY seq";
inline constexpr const char* k_insert_conversation =
    "INSERT INTO conversations (id, user_id, title, state, created_at, updated_at, version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING";
inline constexpr const char* k_touch_conversation =
    "UPDATE conversations SET state = $3, updated_at = $4, version = version + 1 "
    "WHERE id = $1 AND user_id = $2";
inline constexpr const char* k_last_seq =
    "SELECT coalesce(max(seq), 0) FROM conversation_messages WHERE conversation_id = $1";
inline constexpr const char* k_insert_message =
    "INSERT INTO conversation_messages (conversation_id, seq, role, text, actions, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
inline constexpr const char* k_trim_messages =
    "DELETE FROM conversation_messages WHERE conversation_id = $1 AND seq <= $2";
inline constexpr const char* k_delete_conversation =
    "DELETE FROM conversations WHERE id = $1 AND user_id = $2";
inline constexpr const char* k_trim_conversations =
    "DELETE FROM conversations WHERE user_id = $1 AND id NOT IN (SELECT id FROM conversations "
    "WHERE user_id = $1 ORDER BY updated_at DESC, id LIMIT $2)";

// "$1" → "?1": SQLite's numbered parameters.
inline std::string sqlite_placeholders(std::string sql) {
  for (auto& c : sql) {
    if (c == '$') c = '?';
  }
  return sql;
}

template <class Row>
Conversation read_conversation(const Row& r) {
  return {r.text(0), r.int64(1), r.text(2), r.text(3), r.instant(4), r.instant(5), r.int64(6)};
}

template <class Row>
ConversationMessage read_message(const Row& r) {
  return {r.int64(0), r.text(1), r.text(2), r.text(3), r.instant(4)};
}

}  // namespace tickler::store::conversation_sql
