// PgTx: the assistant's conversations and their messages.
#include "store/conversation_rows.hpp"
#include "store/postgres/pg_tx.hpp"

namespace tickler::store::postgres {
namespace {

namespace sql = conversation_sql;

constexpr Query k_select_conversations{"select_conversations", sql::k_select_conversations};
constexpr Query k_select_conversation{"select_conversation", sql::k_select_conversation};
constexpr Query k_select_messages{"select_conversation_messages", sql::k_select_messages};
constexpr Query k_insert_conversation{"insert_conversation", sql::k_insert_conversation};
constexpr Query k_touch_conversation{"touch_conversation", sql::k_touch_conversation};
constexpr Query k_last_seq{"last_conversation_seq", sql::k_last_seq};
constexpr Query k_insert_message{"insert_conversation_message", sql::k_insert_message};
constexpr Query k_trim_messages{"trim_conversation_messages", sql::k_trim_messages};
constexpr Query k_delete_conversation{"delete_conversation", sql::k_delete_conversation};
constexpr Query k_trim_conversations{"trim_conversations", sql::k_trim_conversations};

}  // namespace

Result<std::vector<Conversation>> PgTx::conversations(core::UserId user, int limit) {
  return collect<Conversation>(conn_.exec(k_select_conversations, Params{user, limit}),
                               sql::read_conversation<Row>);
}

Result<std::optional<Conversation>> PgTx::conversation(core::UserId user, std::string_view id) {
  return first<Conversation>(conn_.exec(k_select_conversation, Params{id, user}),
                             sql::read_conversation<Row>);
}

Result<std::vector<ConversationMessage>> PgTx::conversation_messages(core::UserId user,
                                                                     std::string_view id,
                                                                     int limit) {
  return collect<ConversationMessage>(conn_.exec(k_select_messages, Params{id, user, limit}),
                                      sql::read_message<Row>);
}

Status PgTx::insert_conversation(const Conversation& c) {
  auto res = conn_.exec(k_insert_conversation, Params{c.id, c.user_id, c.title, c.state,
                                                      c.created_at, c.updated_at, c.version});
  if (!res) return res.error();
  if (res->affected() == 0) {
    return core::make_error(core::Errc::conflict, "the conversation exists");
  }
  return {};
}

Status PgTx::append_conversation_turn(core::UserId user, std::string_view id,
                                      const std::vector<ConversationMessage>& messages,
                                      std::string_view state, core::Instant at, int keep_messages) {
  auto touched = conn_.exec(k_touch_conversation, Params{id, user, state, at});
  if (!touched) return touched.error();
  if (touched->affected() == 0) {
    return core::make_error(core::Errc::not_found, "no such conversation");
  }
  auto last = conn_.exec(k_last_seq, Params{id});
  if (!last) return last.error();
  std::int64_t seq = last->row(0).int64(0);
  for (const auto& m : messages) {
    auto res =
        conn_.exec(k_insert_message, Params{id, ++seq, m.role, m.text, m.actions, m.created_at});
    if (!res) return res.error();
  }
  auto res = conn_.exec(k_trim_messages, Params{id, seq - keep_messages});
  if (!res) return res.error();
  return {};
}

Result<bool> PgTx::delete_conversation(core::UserId user, std::string_view id) {
  auto res = conn_.exec(k_delete_conversation, Params{id, user});
  if (!res) return res.error();
  return res->affected() == 1;
}

Result<int> PgTx::trim_conversations(core::UserId user, int keep) {
  auto res = conn_.exec(k_trim_conversations, Params{user, keep});
  if (!res) return res.error();
  return static_cast<int>(res->affected());
}

}  // namespace tickler::store::postgres
