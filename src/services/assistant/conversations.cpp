#include "services/assistant/conversations.hpp"

namespace tickler::services::assistant {

using boost::asio::awaitable;

awaitable<core::Result<std::vector<store::Conversation>>> StoreConversations::list(
    core::UserId user) {
  co_return co_await offload_.run([this, user] {
    return store_.read_value(
        [&](store::Reader& r) { return r.conversations(user, limits_.conversations_per_user); });
  });
}

awaitable<core::Result<std::optional<store::Conversation>>> StoreConversations::find(
    core::UserId user, std::string id) {
  co_return co_await offload_.run([this, user, id = std::move(id)] {
    return store_.read_value([&](store::Reader& r) { return r.conversation(user, id); });
  });
}

awaitable<core::Result<std::vector<store::ConversationMessage>>> StoreConversations::messages(
    core::UserId user, std::string id) {
  co_return co_await offload_.run([this, user, id = std::move(id)] {
    return store_.read_value([&](store::Reader& r) {
      return r.conversation_messages(user, id, limits_.messages_per_conversation);
    });
  });
}

awaitable<core::Status> StoreConversations::create(store::Conversation conversation) {
  co_return co_await offload_.run([this, c = std::move(conversation)] {
    return store_.write([&](store::Writer& w) -> core::Status {
      if (auto st = w.insert_conversation(c); !st) return st;
      auto trimmed = w.trim_conversations(c.user_id, limits_.conversations_per_user);
      if (!trimmed) return trimmed.error();
      return {};
    });
  });
}

awaitable<core::Status> StoreConversations::append(core::UserId user, std::string id,
                                                   ConversationTurn turn) {
  co_return co_await offload_.run([this, user, id = std::move(id), turn = std::move(turn)] {
    return store_.write([&](store::Writer& w) {
      return w.append_conversation_turn(user, id, turn.messages, turn.state, turn.at,
                                        limits_.messages_per_conversation);
    });
  });
}

awaitable<core::Result<bool>> StoreConversations::remove(core::UserId user, std::string id) {
  co_return co_await offload_.run([this, user, id = std::move(id)] {
    return store_.write_value([&](store::Writer& w) { return w.delete_conversation(user, id); });
  });
}

}  // namespace tickler::services::assistant
