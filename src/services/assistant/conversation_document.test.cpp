#include "services/assistant/conversation_document.hpp"

#include <gtest/gtest.h>

namespace tickler::services::assistant {
namespace {

store::Conversation summary(std::string id, std::int64_t ms) {
  return {std::move(id),         7, "title " + std::to_string(ms), "{}", core::from_millis(ms),
          core::from_millis(ms), 0};
}

ConversationTurn turn_at(std::int64_t ms, std::string text) {
  ConversationTurn t;
  t.messages = {{0, "user", text, "[]", core::from_millis(ms)},
                {0, "assistant", "re: " + text, "[{\"type\":\"task\"}]", core::from_millis(ms)}};
  t.state = "{\"it\":1}";
  t.at = core::from_millis(ms);
  return t;
}

TEST(ConversationDocument, KeysCarryTheUser) {
  EXPECT_EQ(conversation_key(7, "abc"), "conversation-7-abc");
  EXPECT_EQ(index_key(7), "conversations-7");
  EXPECT_NE(conversation_key(7, "abc"), conversation_key(8, "abc"));
}

TEST(ConversationDocument, TurnsNumberAndBoundMessages) {
  ConversationDocument d{summary("c1", 1000), 0, {}};
  for (int i = 0; i < 3; ++i) apply_turn(d, turn_at(2000 + i, "m" + std::to_string(i)), 4);
  ASSERT_EQ(d.messages.size(), 4u);
  EXPECT_EQ(d.messages.front().seq, 3);
  EXPECT_EQ(d.messages.back().seq, 6);
  EXPECT_EQ(d.messages.back().text, "re: m2");
  EXPECT_EQ(d.last_seq, 6);
  EXPECT_EQ(d.conversation.version, 3);
  EXPECT_EQ(d.conversation.state, "{\"it\":1}");
  EXPECT_EQ(core::to_millis(d.conversation.updated_at), 2002);
}

TEST(ConversationDocument, RoundTripsAsJson) {
  ConversationDocument d{summary("c1", 1000), 0, {}};
  apply_turn(d, turn_at(2000, "hello \"you\""), 200);
  auto back = document_from_json(document_to_json(d));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->conversation.id, "c1");
  EXPECT_EQ(back->conversation.user_id, 7);
  EXPECT_EQ(back->conversation.version, 1);
  EXPECT_EQ(back->conversation.state, d.conversation.state);
  ASSERT_EQ(back->messages.size(), 2u);
  EXPECT_EQ(back->messages[0].text, "hello \"you\"");
  EXPECT_EQ(back->messages[1].actions, "[{\"type\":\"task\"}]");
  EXPECT_FALSE(document_from_json("{\"id\":\"x\"}"));
  EXPECT_FALSE(document_from_json("not json"));
}

TEST(ConversationDocument, IndexKeepsTheMostRecentlyUsed) {
  ConversationIndex index;
  EXPECT_TRUE(put_first(index, summary("a", 1), 2).empty());
  EXPECT_TRUE(put_first(index, summary("b", 2), 2).empty());
  EXPECT_TRUE(put_first(index, summary("a", 3), 2).empty());  // used again: first, not twice
  ASSERT_EQ(index.items.size(), 2u);
  EXPECT_EQ(index.items[0].id, "a");
  const auto dropped = put_first(index, summary("c", 4), 2);
  ASSERT_EQ(dropped, std::vector<std::string>{"b"});
  auto back = index_from_json(index_to_json(index));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->items.size(), 2u);
  EXPECT_EQ(back->items[0].id, "c");
  EXPECT_EQ(core::to_millis(back->items[1].updated_at), 3);
  EXPECT_TRUE(remove_entry(*back, "a"));
  EXPECT_FALSE(remove_entry(*back, "a"));
}

}  // namespace
}  // namespace tickler::services::assistant
