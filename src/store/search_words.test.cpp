#include "store/search_words.hpp"

#include <gtest/gtest.h>

#include "store/search_plan.hpp"

namespace tickler::store {
namespace {

TEST(SearchWords, TokensAreFts5Unicode61s) {
  EXPECT_EQ(search_tokens("Café AU-lait, alice@example.com 3.14 über_cool 日本語 naïve"),
            (std::vector<std::string>{"cafe", "au", "lait", "alice", "example", "com", "3", "14",
                                      "uber", "cool", "日本語", "naive"}));
  EXPECT_TRUE(search_tokens("*** -- «»").empty());
}

TEST(SearchWords, EveryWordMustMatchAsAPrefixOrPhrase) {
  const auto pay_rent = search_phrases({"PAY", "Ren"});
  EXPECT_TRUE(matches(pay_rent, "Pay the rent", "", ""));
  EXPECT_TRUE(matches(pay_rent, "payment", "", "rental"));  // each word in any field
  EXPECT_FALSE(matches(pay_rent, "pay", "", ""));
  EXPECT_FALSE(matches(pay_rent, "repay rent", "", ""));  // a prefix of a token, not a suffix

  const auto email = search_phrases({"e-mai"});
  EXPECT_TRUE(matches(email, "send E-mail", "", ""));
  EXPECT_FALSE(matches(email, "e", "mail", ""));   // a phrase never spans two fields
  EXPECT_FALSE(matches(email, "mail e", "", ""));  // nor changes order
  EXPECT_FALSE(matches(email, "e other mail", "", ""));

  EXPECT_TRUE(matches(search_phrases({"cafe"}), "Café", "", ""));  // diacritics folded
  EXPECT_TRUE(matches(search_phrases({"hom"}), "", "", "errand home"));
  EXPECT_FALSE(matches(search_phrases({"*", "--"}), "anything", "", ""));  // no phrase: nothing
}

TEST(SearchPlan, StartsFromTheSmallestSetWithinTheCap) {
  EXPECT_EQ(choose_driving_set({}).driver, Driver::sort_index);
  SetSizes over{k_driving_set_cap + 1, {k_driving_set_cap + 1}, k_driving_set_cap + 1};
  EXPECT_EQ(choose_driving_set(over).driver, Driver::sort_index);

  SetSizes sizes{40, {k_driving_set_cap + 1, 7, 9}, 3000};
  auto set = choose_driving_set(sizes);
  EXPECT_EQ(set.driver, Driver::tag);
  EXPECT_EQ(set.tag, 1u);
  sizes.priority = 2;
  EXPECT_EQ(choose_driving_set(sizes).driver, Driver::priority);
  sizes = {k_driving_set_cap, {}, std::nullopt};
  EXPECT_EQ(choose_driving_set(sizes).driver, Driver::text);
}

}  // namespace
}  // namespace tickler::store
