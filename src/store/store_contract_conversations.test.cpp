// The Store contract for the assistant's conversations: ownership, message order and bounds,
// the turn's state and version, trimming, deletion (with the user too).
#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

Conversation conversation_of(core::UserId user, std::string id, std::int64_t at_ms) {
  return {std::move(id),      user, "title " + std::to_string(at_ms), "{}", from_millis(at_ms),
          from_millis(at_ms), 0};
}

std::vector<ConversationMessage> turn(const std::string& said, const std::string& answered,
                                      std::int64_t at_ms) {
  return {{0, "user", said, "[]", from_millis(at_ms)},
          {0, "assistant", answered, R"([{"kind":"task","id":1}])", from_millis(at_ms)}};
}

TEST_P(StoreContract, ConversationsBelongToTheirUser) {
  ASSERT_TRUE(store_->write(
      [&](Writer& w) { return w.insert_conversation(conversation_of(alice_, "c1", 1000)); }));
  auto again = store_->write(
      [&](Writer& w) { return w.insert_conversation(conversation_of(bob_, "c1", 2000)); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::conflict);

  auto mine = store_->read_value([&](Reader& r) { return r.conversation(alice_, "c1"); });
  ASSERT_TRUE(mine && *mine);
  EXPECT_EQ((*mine)->title, "title 1000");
  EXPECT_EQ((*mine)->user_id, alice_);
  auto theirs = store_->read_value([&](Reader& r) { return r.conversation(bob_, "c1"); });
  ASSERT_TRUE(theirs);
  EXPECT_FALSE(*theirs);

  auto appended = store_->write([&](Writer& w) {
    return w.append_conversation_turn(bob_, "c1", turn("hi", "hello", 3000), "{}",
                                      from_millis(3000), 10);
  });
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code, core::Errc::not_found);
  auto bobs = store_->read_value([&](Reader& r) { return r.conversations(bob_, 10); });
  ASSERT_TRUE(bobs);
  EXPECT_TRUE(bobs->empty());
  auto deleted = store_->write_value([&](Writer& w) { return w.delete_conversation(bob_, "c1"); });
  ASSERT_TRUE(deleted);
  EXPECT_FALSE(*deleted);
}

TEST_P(StoreContract, TurnsAppendInOrderKeepTheNewestAndCarryTheState) {
  ASSERT_TRUE(store_->write(
      [&](Writer& w) { return w.insert_conversation(conversation_of(alice_, "c", 1000)); }));
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(store_->write([&](Writer& w) {
      return w.append_conversation_turn(
          alice_, "c", turn("say " + std::to_string(i), "answer", 1000 + i),
          R"({"turn":)" + std::to_string(i) + "}", from_millis(1000 + i), 4);
    }));
  }
  auto c = store_->read_value([&](Reader& r) { return r.conversation(alice_, "c"); });
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->state, R"({"turn":3})");
  EXPECT_EQ((*c)->version, 3);
  EXPECT_EQ(core::to_millis((*c)->updated_at), 1003);
  EXPECT_EQ(core::to_millis((*c)->created_at), 1000);

  auto all =
      store_->read_value([&](Reader& r) { return r.conversation_messages(alice_, "c", 50); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4U);  // six written, the newest four kept
  EXPECT_EQ((*all)[0].seq, 3);
  EXPECT_EQ((*all)[0].text, "say 2");
  EXPECT_EQ((*all)[0].role, "user");
  EXPECT_EQ((*all)[3].seq, 6);
  EXPECT_EQ((*all)[3].role, "assistant");
  EXPECT_EQ((*all)[3].actions, R"([{"kind":"task","id":1}])");
  auto last =
      store_->read_value([&](Reader& r) { return r.conversation_messages(alice_, "c", 1); });
  ASSERT_TRUE(last);
  ASSERT_EQ(last->size(), 1U);
  EXPECT_EQ((*last)[0].seq, 6);
  auto none = store_->read_value([&](Reader& r) { return r.conversation_messages(bob_, "c", 50); });
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreContract, ConversationsListNewestFirstAndTrimTheOldest) {
  ASSERT_TRUE(store_->write([&](Writer& w) -> Status {
    for (int i = 1; i <= 4; ++i) {
      auto st = w.insert_conversation(
          conversation_of(alice_, "a" + std::to_string(i), 1000 * static_cast<std::int64_t>(i)));
      if (!st) return st;
    }
    return w.insert_conversation(conversation_of(bob_, "b1", 500));
  }));
  // Touching the oldest makes it the newest.
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.append_conversation_turn(alice_, "a1", turn("x", "y", 9000), "{}", from_millis(9000),
                                      10);
  }));
  auto list = store_->read_value([&](Reader& r) { return r.conversations(alice_, 3); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3U);
  EXPECT_EQ((*list)[0].id, "a1");
  EXPECT_EQ((*list)[1].id, "a4");
  EXPECT_EQ((*list)[2].id, "a3");

  auto trimmed = store_->write_value([&](Writer& w) { return w.trim_conversations(alice_, 2); });
  ASSERT_TRUE(trimmed);
  EXPECT_EQ(*trimmed, 2);
  list = store_->read_value([&](Reader& r) { return r.conversations(alice_, 10); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2U);
  EXPECT_EQ((*list)[0].id, "a1");
  EXPECT_EQ((*list)[1].id, "a4");
  auto bobs = store_->read_value([&](Reader& r) { return r.conversations(bob_, 10); });
  ASSERT_TRUE(bobs);
  EXPECT_EQ(bobs->size(), 1U);
}

TEST_P(StoreContract, DeletingAConversationOrItsUserTakesTheMessages) {
  ASSERT_TRUE(store_->write([&](Writer& w) -> Status {
    for (const auto* id : {"one", "two"}) {
      if (auto st = w.insert_conversation(conversation_of(alice_, id, 1000)); !st) return st;
      auto st =
          w.append_conversation_turn(alice_, id, turn("a", "b", 2000), "{}", from_millis(2000), 10);
      if (!st) return st;
    }
    return w.insert_conversation(conversation_of(bob_, "bobs", 1000));
  }));
  auto deleted =
      store_->write_value([&](Writer& w) { return w.delete_conversation(alice_, "one"); });
  ASSERT_TRUE(deleted);
  EXPECT_TRUE(*deleted);
  auto gone =
      store_->read_value([&](Reader& r) { return r.conversation_messages(alice_, "one", 9); });
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->empty());
  // A new conversation may take the id again and starts with no messages.
  ASSERT_TRUE(store_->write(
      [&](Writer& w) { return w.insert_conversation(conversation_of(alice_, "one", 3000)); }));
  gone = store_->read_value([&](Reader& r) { return r.conversation_messages(alice_, "one", 9); });
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->empty());

  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_user(alice_); }));
  auto list = store_->read_value([&](Reader& r) { return r.conversations(alice_, 10); });
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
  auto bobs = store_->read_value([&](Reader& r) { return r.conversations(bob_, 10); });
  ASSERT_TRUE(bobs);
  EXPECT_EQ(bobs->size(), 1U);
}

}  // namespace
}  // namespace tickler::store::contract
