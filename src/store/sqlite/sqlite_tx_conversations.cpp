// SqliteTx: the assistant's conversations and their messages.
#include "store/conversation_rows.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

namespace sql = conversation_sql;

const std::string k_select_conversations = sql::sqlite_placeholders(sql::k_select_conversations);
const std::string k_select_conversation = sql::sqlite_placeholders(sql::k_select_conversation);
const std::string k_select_messages = sql::sqlite_placeholders(sql::k_select_messages);
const std::string k_insert_conversation = sql::sqlite_placeholders(sql::k_insert_conversation);
const std::string k_touch_conversation = sql::sqlite_placeholders(sql::k_touch_conversation);
const std::string k_last_seq = sql::sqlite_placeholders(sql::k_last_seq);
const std::string k_insert_message = sql::sqlite_placeholders(sql::k_insert_message);
const std::string k_trim_messages = sql::sqlite_placeholders(sql::k_trim_messages);
const std::string k_delete_conversation = sql::sqlite_placeholders(sql::k_delete_conversation);
const std::string k_trim_conversations = sql::sqlite_placeholders(sql::k_trim_conversations);

}  // namespace

Result<std::vector<Conversation>> SqliteTx::conversations(core::UserId user, int limit) {
  auto s = bound(conn_, k_select_conversations, user, std::int64_t{limit});
  if (!s) return s.error();
  return collect<Conversation>(*s, sql::read_conversation<Statement>);
}

Result<std::optional<Conversation>> SqliteTx::conversation(core::UserId user, std::string_view id) {
  auto s = bound(conn_, k_select_conversation, id, user);
  if (!s) return s.error();
  return first<Conversation>(*s, sql::read_conversation<Statement>);
}

Result<std::vector<ConversationMessage>> SqliteTx::conversation_messages(core::UserId user,
                                                                         std::string_view id,
                                                                         int limit) {
  auto s = bound(conn_, k_select_messages, id, user, std::int64_t{limit});
  if (!s) return s.error();
  return collect<ConversationMessage>(*s, sql::read_message<Statement>);
}

Status SqliteTx::insert_conversation(const Conversation& c) {
  auto s = bound(conn_, k_insert_conversation, c.id, c.user_id, c.title, c.state, c.created_at,
                 c.updated_at, c.version);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st;
  if (sqlite3_changes(conn_.handle()) == 0) {
    return core::make_error(core::Errc::conflict, "the conversation exists");
  }
  return {};
}

Status SqliteTx::append_conversation_turn(core::UserId user, std::string_view id,
                                          const std::vector<ConversationMessage>& messages,
                                          std::string_view state, core::Instant at,
                                          int keep_messages) {
  {
    auto s = bound(conn_, k_touch_conversation, id, user, state, at);
    if (!s) return s.error();
    if (auto st = s->run(); !st) return st;
    if (sqlite3_changes(conn_.handle()) == 0) {
      return core::make_error(core::Errc::not_found, "no such conversation");
    }
  }
  std::int64_t seq = 0;
  {
    auto s = bound(conn_, k_last_seq, id);
    if (!s) return s.error();
    auto row = s->step();
    if (!row) return row.error();
    if (*row) seq = s->int64(0);
  }
  for (const auto& m : messages) {
    auto s = bound(conn_, k_insert_message, id, ++seq, m.role, m.text, m.actions, m.created_at);
    if (!s) return s.error();
    if (auto st = s->run(); !st) return st;
  }
  auto s = bound(conn_, k_trim_messages, id, seq - keep_messages);
  if (!s) return s.error();
  return s->run();
}

Result<bool> SqliteTx::delete_conversation(core::UserId user, std::string_view id) {
  auto s = bound(conn_, k_delete_conversation, id, user);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<int> SqliteTx::trim_conversations(core::UserId user, int keep) {
  auto s = bound(conn_, k_trim_conversations, user, std::int64_t{keep});
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle());
}

}  // namespace tickler::store::sqlite
