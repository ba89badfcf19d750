#pragma once
// Conversations in a Dapr state store (the assistant role; docs/assistant.md): one key per
// conversation, "conversation-<user>-<id>" (Dapr keeps "||" for its app-id prefix), holding its
// summary, state, version and last messages, and one key per user, "conversations-<user>", the
// index of the user's conversations (most recently used first, at most conversations_per_user).
// Every change is a read, then a write conditional on the ETag read, so concurrent writers never
// lose each other's changes: an index update that lost the race is redone; a turn that lost it
// (expected_version) answers conversation_busy. Keys carry the user, so another user's conversation
// is not found. Calls block on the sidecar: they run on the offload pool.
#include <string>

#include "bus/dapr/sidecar_client.hpp"
#include "services/assistant/conversation_document.hpp"
#include "services/assistant/conversations.hpp"

namespace tickler::services::assistant {

class DaprConversations final : public Conversations {
 public:
  // The client and the pool must outlive this object.
  DaprConversations(bus::dapr::DaprClient& dapr, base::Offload& offload, std::string store,
                    ConversationLimits limits)
      : dapr_(dapr), offload_(offload), store_(std::move(store)), limits_(limits) {}

  boost::asio::awaitable<core::Result<std::vector<store::Conversation>>> list(
      core::UserId user) override;
  boost::asio::awaitable<core::Result<std::optional<store::Conversation>>> find(
      core::UserId user, const std::string& id) override;
  boost::asio::awaitable<core::Result<std::vector<store::ConversationMessage>>> messages(
      core::UserId user, const std::string& id) override;
  boost::asio::awaitable<core::Status> create(const store::Conversation& conversation) override;
  boost::asio::awaitable<core::Status> append(core::UserId user, const std::string& id,
                                              const ConversationTurn& turn) override;
  boost::asio::awaitable<core::Result<bool>> remove(core::UserId user,
                                                    const std::string& id) override;

  // Deletes every conversation of the user (the account was deleted); blocking, idempotent.
  core::Status remove_user(core::UserId user);

  // The blocking halves (public for the offload pool's calls).
  core::Result<std::vector<store::Conversation>> list_now(core::UserId user);
  core::Result<std::optional<ConversationDocument>> document_now(core::UserId user,
                                                                 const std::string& id);
  core::Status create_now(const store::Conversation& conversation);
  core::Status append_now(core::UserId user, const std::string& id, const ConversationTurn& turn);
  core::Result<bool> remove_now(core::UserId user, const std::string& id);

 private:
  // Reads the user's index, applies `change` and writes it back under the ETag read, again from
  // the start when another write came first.
  core::Status update_index(core::UserId user,
                            const std::function<void(ConversationIndex&)>& change);

  bus::dapr::DaprClient& dapr_;
  base::Offload& offload_;
  std::string store_;
  ConversationLimits limits_;
};

}  // namespace tickler::services::assistant
