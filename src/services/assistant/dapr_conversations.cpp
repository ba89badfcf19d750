#include "services/assistant/dapr_conversations.hpp"

namespace tickler::services::assistant {
namespace {

using boost::asio::awaitable;

// How often an index update is redone after losing the race to another write of the index.
constexpr int k_index_attempts = 8;

bool lost_race(const core::Error& e) {
  return e.code == core::Errc::conflict;
}

}  // namespace

awaitable<core::Result<std::vector<store::Conversation>>> DaprConversations::list(
    core::UserId user) {
  co_return co_await offload_.call(&DaprConversations::list_now, this, user);
}

awaitable<core::Result<std::optional<store::Conversation>>> DaprConversations::find(
    core::UserId user, const std::string& id) {
  auto document = co_await offload_.call(&DaprConversations::document_now, this, user, id);
  if (!document) co_return document.error();
  if (!*document) co_return std::optional<store::Conversation>{};
  co_return std::optional<store::Conversation>{std::move((*document)->conversation)};
}

awaitable<core::Result<std::vector<store::ConversationMessage>>> DaprConversations::messages(
    core::UserId user, const std::string& id) {
  auto document = co_await offload_.call(&DaprConversations::document_now, this, user, id);
  if (!document) co_return document.error();
  if (!*document) co_return std::vector<store::ConversationMessage>{};
  co_return std::move((*document)->messages);
}

awaitable<core::Status> DaprConversations::create(const store::Conversation& conversation) {
  co_return co_await offload_.call(&DaprConversations::create_now, this, conversation);
}

awaitable<core::Status> DaprConversations::append(core::UserId user, const std::string& id,
                                                  const ConversationTurn& turn) {
  co_return co_await offload_.call(&DaprConversations::append_now, this, user, id, turn);
}

awaitable<core::Result<bool>> DaprConversations::remove(core::UserId user, const std::string& id) {
  co_return co_await offload_.call(&DaprConversations::remove_now, this, user, id);
}

core::Result<std::vector<store::Conversation>> DaprConversations::list_now(core::UserId user) {
  auto entry = dapr_.get_state_entry(store_, index_key(user));
  if (!entry) return entry.error();
  if (!*entry) return std::vector<store::Conversation>{};
  auto index = index_from_json((*entry)->value);
  if (!index) return index.error();
  return std::move(index->items);
}

core::Result<std::optional<ConversationDocument>> DaprConversations::document_now(
    core::UserId user, const std::string& id) {
  auto entry = dapr_.get_state_entry(store_, conversation_key(user, id));
  if (!entry) return entry.error();
  if (!*entry) return std::optional<ConversationDocument>{};
  auto document = document_from_json((*entry)->value);
  if (!document) return document.error();
  if (document->conversation.user_id != user) return std::optional<ConversationDocument>{};
  return std::optional<ConversationDocument>{std::move(*document)};
}

core::Status DaprConversations::update_index(
    core::UserId user, const std::function<void(ConversationIndex&)>& change) {
  core::Error last;
  for (int attempt = 0; attempt < k_index_attempts; ++attempt) {
    auto entry = dapr_.get_state_entry(store_, index_key(user));
    if (!entry) return entry.error();
    ConversationIndex index;
    std::string etag;
    if (*entry) {
      auto read = index_from_json((*entry)->value);
      if (!read) return read.error();
      index = std::move(*read);
      etag = (*entry)->etag;
    }
    change(index);
    auto saved = dapr_.save_state_if(store_, index_key(user), index_to_json(index), etag);
    if (saved) return {};
    if (!lost_race(saved.error())) return saved;
    last = saved.error();
  }
  return core::make_error(core::Errc::unavailable,
                          "the conversation index kept changing: " + last.message);
}

core::Status DaprConversations::create_now(const store::Conversation& conversation) {
  ConversationDocument document{conversation, 0, {}};
  // The document first: an index entry never names a conversation that is not there.
  if (auto st = dapr_.save_state_if(store_, conversation_key(conversation.user_id, conversation.id),
                                    document_to_json(document), {});
      !st) {
    return st;
  }
  std::vector<std::string> dropped;
  auto st = update_index(conversation.user_id, [&](ConversationIndex& index) {
    dropped = put_first(index, conversation, limits_.conversations_per_user);
  });
  if (!st) return st;
  for (const auto& id : dropped) {
    if (auto gone = dapr_.delete_state(store_, conversation_key(conversation.user_id, id)); !gone) {
      return gone;
    }
  }
  return {};
}

core::Status DaprConversations::append_now(core::UserId user, const std::string& id,
                                           const ConversationTurn& turn) {
  for (int attempt = 0;; ++attempt) {
    auto entry = dapr_.get_state_entry(store_, conversation_key(user, id));
    if (!entry) return entry.error();
    if (!*entry) return core::make_error(core::Errc::not_found, "conversation not found");
    auto document = document_from_json((*entry)->value);
    if (!document) return document.error();
    if (turn.expected_version >= 0 && document->conversation.version != turn.expected_version) {
      return conversation_busy();
    }
    apply_turn(*document, turn, limits_.messages_per_conversation);
    auto saved = dapr_.save_state_if(store_, conversation_key(user, id),
                                     document_to_json(*document), (*entry)->etag);
    if (!saved) {
      if (!lost_race(saved.error())) return saved;
      // Another turn's write came between our read and write: it wins.
      if (turn.expected_version >= 0) return conversation_busy();
      if (attempt + 1 < k_index_attempts) continue;
      return saved;
    }
    auto summary = document->conversation;
    return update_index(user, [&](ConversationIndex& index) {
      // A conversation evicted from the index meanwhile stays out of it.
      if (remove_entry(index, id)) {
        (void)put_first(index, summary, limits_.conversations_per_user);
      }
    });
  }
}

core::Result<bool> DaprConversations::remove_now(core::UserId user, const std::string& id) {
  auto document = document_now(user, id);
  if (!document) return document.error();
  if (!*document) return false;
  if (auto st = update_index(user, [&](ConversationIndex& index) { remove_entry(index, id); });
      !st) {
    return st.error();
  }
  if (auto st = dapr_.delete_state(store_, conversation_key(user, id)); !st) return st.error();
  return true;
}

core::Status DaprConversations::remove_user(core::UserId user) {
  auto entry = dapr_.get_state_entry(store_, index_key(user));
  if (!entry) return entry.error();
  if (!*entry) return {};
  auto index = index_from_json((*entry)->value);
  if (!index) return index.error();
  for (const auto& c : index->items) {
    if (auto st = dapr_.delete_state(store_, conversation_key(user, c.id)); !st) return st;
  }
  return dapr_.delete_state(store_, index_key(user));
}

}  // namespace tickler::services::assistant
