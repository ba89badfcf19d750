#include "services/assistant/conversations.hpp"

namespace tickler::services::assistant {

using boost::asio::awaitable;

core::Error conversation_busy() {
  core::Error e = core::make_error(core::Errc::conflict,
                                   "another turn of this conversation came first; reload it and "
                                   "send the message again");
  e.code_name = "conversation_busy";
  return e;
}

awaitable<core::Result<std::vector<store::Conversation>>> StoreConversations::list(
    core::UserId user) {
  co_return co_await offload_.call(&StoreConversations::list_now, this, user);
}

awaitable<core::Result<std::optional<store::Conversation>>> StoreConversations::find(
    core::UserId user, const std::string& id) {
  co_return co_await offload_.call(&StoreConversations::find_now, this, user, id);
}

awaitable<core::Result<std::vector<store::ConversationMessage>>> StoreConversations::messages(
    core::UserId user, const std::string& id) {
  co_return co_await offload_.call(&StoreConversations::messages_now, this, user, id);
}

awaitable<core::Status> StoreConversations::create(const store::Conversation& conversation) {
  co_return co_await offload_.call(&StoreConversations::create_now, this, conversation);
}

awaitable<core::Status> StoreConversations::append(core::UserId user, const std::string& id,
                                                   const ConversationTurn& turn) {
  co_return co_await offload_.call(&StoreConversations::append_now, this, user, id, turn);
}

awaitable<core::Result<bool>> StoreConversations::remove(core::UserId user, const std::string& id) {
  co_return co_await offload_.call(&StoreConversations::remove_now, this, user, id);
}

core::Result<std::vector<store::Conversation>> StoreConversations::list_now(core::UserId user) {
  return store_.read_value(
      [&](store::Reader& r) { return r.conversations(user, limits_.conversations_per_user); });
}

core::Result<std::optional<store::Conversation>> StoreConversations::find_now(
    core::UserId user, const std::string& id) {
  return store_.read_value([&](store::Reader& r) { return r.conversation(user, id); });
}

core::Result<std::vector<store::ConversationMessage>> StoreConversations::messages_now(
    core::UserId user, const std::string& id) {
  return store_.read_value([&](store::Reader& r) {
    return r.conversation_messages(user, id, limits_.messages_per_conversation);
  });
}

core::Status StoreConversations::create_now(const store::Conversation& c) {
  return store_.write([&](store::Writer& w) -> core::Status {
    if (auto st = w.insert_conversation(c); !st) return st;
    auto trimmed = w.trim_conversations(c.user_id, limits_.conversations_per_user);
    if (!trimmed) return trimmed.error();
    return {};
  });
}

core::Status StoreConversations::append_now(core::UserId user, const std::string& id,
                                            const ConversationTurn& turn) {
  return store_.write([&](store::Writer& w) -> core::Status {
    if (turn.expected_version >= 0) {
      auto current = w.conversation(user, id);
      if (!current) return current.error();
      if (*current && (*current)->version != turn.expected_version) return conversation_busy();
    }
    return w.append_conversation_turn(user, id, turn.messages, turn.state, turn.at,
                                      limits_.messages_per_conversation);
  });
}

core::Result<bool> StoreConversations::remove_now(core::UserId user, const std::string& id) {
  return store_.write_value([&](store::Writer& w) { return w.delete_conversation(user, id); });
}

}  // namespace tickler::services::assistant
