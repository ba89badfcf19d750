// A task's search vector and a search's query and word ranges, as the store writes and reads
// them (no server needed).
#include "store/postgres/search_terms.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace tickler::store::postgres {
namespace {

TEST(PgSearchTerms, VectorsKeepFieldsApartAndQueriesArePrefixes) {
  EXPECT_EQ(search_vector("Pay rent", "rent o'clock", "home"),
            "'clock':6 'home':8 'o':5 'pay':1 'rent':2,4");
  EXPECT_EQ(search_query({"Rent", "e-mail", "*"}), "('rent':*) & ('e' <-> 'mail':*)");
  EXPECT_FALSE(search_query({"*", "--"}));
}

TEST(PgSearchTerms, TokensAreWordRangesThatFitALexeme) {
  // Inner tokens of a phrase are words, last tokens prefixes: [low, the next string up).
  EXPECT_EQ(search_word_ranges({"Rent", "e-mail", "*"}),
            (std::vector<WordRange>{
                {"rent", "renu", false}, {"e", std::nullopt, true}, {"mail", "maim", false}}));
  EXPECT_TRUE(search_word_ranges({"*", "--"}).empty());
  EXPECT_EQ(tag_key(42, "home"), "42/home");
  std::string kanji;
  for (int i = 0; i < 700; ++i) kanji += "語";  // 2,100 bytes
  // Cut to 2,046 bytes on a character boundary, as the vector cuts the token: 682 characters.
  const auto ranges = search_word_ranges({kanji});
  ASSERT_EQ(ranges.size(), 1U);
  EXPECT_EQ(ranges[0].low, kanji.substr(0, 682 * 3));
  EXPECT_EQ(search_vector(kanji, "", ""), "'" + kanji.substr(0, 682 * 3) + "':1");
}

TEST(PgSearchTerms, APrefixEndsAtTheNextCodePoint) {
  EXPECT_EQ(prefix_end("pa"), "pb");
  EXPECT_EQ(prefix_end("caf\xc3\xa9"), "caf\xc3\xaa");    // é → ê
  EXPECT_EQ(prefix_end("a\xc2\xbf"), "a\xc3\x80");        // U+00BF → U+00C0
  EXPECT_EQ(prefix_end("\xed\x9f\xbf"), "\xee\x80\x80");  // U+D7FF → U+E000
  EXPECT_EQ(prefix_end("a\xf4\x8f\xbf\xbf"), "b");        // U+10FFFF dropped
  EXPECT_EQ(prefix_end("\xf4\x8f\xbf\xbf"), std::nullopt);
  EXPECT_EQ(prefix_end(""), std::nullopt);
}

}  // namespace
}  // namespace tickler::store::postgres
