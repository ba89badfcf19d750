#pragma once
// Where the assistant keeps conversations: the interface it talks to, and its implementation
// over the Store (tickler serve: the SQLite tables of store/conversations.hpp). A distributed
// assistant role would put a Dapr state store behind the same interface (one key per
// conversation, its version as the ETag). Every call is scoped to a user: another user's
// conversation is not found.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/offload.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace tickler::services::assistant {

// The bounds of what is kept.
struct ConversationLimits {
  int messages_per_conversation = 200;  // the oldest go first
  int conversations_per_user = 50;      // the least recently used go first
  std::size_t message_chars = 2000;     // a longer message is refused (413)
  std::size_t title_chars = 80;         // the first message, cut to this
};

struct ConversationTurn {
  std::vector<store::ConversationMessage> messages;
  std::string state;  // JSON
  core::Instant at{};
  // The conversation's version the turn started from: the append is refused (conflict, code
  // conversation_busy) when another turn was appended since. -1: append whatever came between.
  std::int64_t expected_version = -1;
};

// The answer to a turn that lost the race for its conversation
// (ConversationTurn::expected_version).
[[nodiscard]] core::Error conversation_busy();

// Parameters are references (the caller keeps them alive across the co_await): GCC 12 corrupts a
// class-type coroutine parameter taken by value and moved from.
class Conversations {
 public:
  virtual ~Conversations() = default;
  virtual boost::asio::awaitable<core::Result<std::vector<store::Conversation>>> list(
      core::UserId user) = 0;
  virtual boost::asio::awaitable<core::Result<std::optional<store::Conversation>>> find(
      core::UserId user, const std::string& id) = 0;
  virtual boost::asio::awaitable<core::Result<std::vector<store::ConversationMessage>>> messages(
      core::UserId user, const std::string& id) = 0;
  // Creates the conversation (dropping the user's least recently used beyond the limit).
  virtual boost::asio::awaitable<core::Status> create(const store::Conversation& conversation) = 0;
  // Appends one turn's messages and the state the next turn starts from.
  virtual boost::asio::awaitable<core::Status> append(core::UserId user, const std::string& id,
                                                      const ConversationTurn& turn) = 0;
  // False when the user has no such conversation.
  virtual boost::asio::awaitable<core::Result<bool>> remove(core::UserId user,
                                                            const std::string& id) = 0;
};

class StoreConversations final : public Conversations {
 public:
  StoreConversations(store::Store& store, base::Offload& offload, ConversationLimits limits)
      : store_(store), offload_(offload), limits_(limits) {}

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

 private:
  // The blocking halves, run on the offload pool (plain member functions: GCC 12 mishandles a
  // lambda with captures made inside a co_await expression).
  core::Result<std::vector<store::Conversation>> list_now(core::UserId user);
  core::Result<std::optional<store::Conversation>> find_now(core::UserId user,
                                                            const std::string& id);
  core::Result<std::vector<store::ConversationMessage>> messages_now(core::UserId user,
                                                                     const std::string& id);
  core::Status create_now(const store::Conversation& conversation);
  core::Status append_now(core::UserId user, const std::string& id, const ConversationTurn& turn);
  core::Result<bool> remove_now(core::UserId user, const std::string& id);

  store::Store& store_;
  base::Offload& offload_;
  ConversationLimits limits_;
};

}  // namespace tickler::services::assistant
