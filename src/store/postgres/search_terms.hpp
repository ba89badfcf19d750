#pragma once
// Task search on PostgreSQL with the SQLite store's exact semantics. Words are cut and folded by
// the very tokenizer the SQLite schema indexes with — FTS5's unicode61 with remove_diacritics 2,
// reached through SQLite's FTS5 API — and stored as a tsvector; a query becomes a tsquery in
// which every word must match as a prefix, as fts_match_expression asks FTS5. PostgreSQL's own
// parsers ('simple' included) cut differently: they keep e-mail addresses, URLs, paths and
// numbers like 3.14 whole, and neither fold diacritics nor treat punctuation beyond ASCII as a
// separator.
//
// A listing finds a search's candidates in task_words (migrations/postgres/api/0008), a B-tree of
// each task's lexemes behind its owner: every token of the query is a range of its words. Tags
// are found through the GIN index of the owner's keys, '<user id>/<tag>' (task_tag_keys, api/0003).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickler::store::postgres {

// PostgreSQL's limit on a lexeme, in bytes (of tsvector and tsquery alike).
inline constexpr std::size_t k_max_lexeme_bytes = 2046;

// A tsvector literal of a task's title, description and tags (space-joined, as the FTS5 table
// holds them). Each field starts its own run of positions, one apart from the previous field,
// so a phrase never spans two fields (as it cannot span two FTS5 columns).
[[nodiscard]] std::string search_vector(std::string_view title, std::string_view description,
                                        std::string_view tags);

// A tsquery literal in which every word must match (FTS5's "word"* for each word): a word of
// one token is a prefix match, a word of several tokens ("e-mail") a phrase whose last token is
// a prefix. Words without tokens are left out, as FTS5 leaves out empty phrases; nullopt when
// none is left (FTS5 matches nothing then).
[[nodiscard]] std::optional<std::string> search_query(const std::vector<std::string>& words);

// One token of a search as a range of task_words' words (bytes order, COLLATE "C"): a phrase's
// inner token is one word (exact), its last token a prefix, the words from low up to high
// (excluded; none when no string bounds the prefix from above).
struct WordRange {
  std::string low;
  std::optional<std::string> high;
  bool exact = false;
  bool operator==(const WordRange&) const = default;
};

// Every token of every word, in order, as word ranges (cut to the lexeme limit as the vector
// cuts them). Every task search_query matches has a word in each of them, so a listing finds its
// candidates in any one range and tests search_query on those. Empty when no word has a token.
[[nodiscard]] std::vector<WordRange> search_word_ranges(const std::vector<std::string>& words);

// The least string above every string that starts with prefix, in UTF-8 bytes order: the last
// code point incremented (a last U+10FFFF dropped first); nullopt when there is none.
[[nodiscard]] std::optional<std::string> prefix_end(std::string_view prefix);

// A tag as task_tag_keys indexes it: "<user id>/<tag>".
[[nodiscard]] std::string tag_key(std::int64_t user, std::string_view tag);

}  // namespace tickler::store::postgres
