#pragma once
// Search semantics, the same in both engines: the words of a task's text are the tokens of
// FTS5's unicode61 tokenizer with remove_diacritics 2 (lowercase, diacritics removed, split on
// anything but letters and digits), and a query of several words matches a task when every word
// does: a word of one token as a prefix of a token, a word of several tokens ("e-mail") as a
// phrase — consecutive tokens of one field, the last one a prefix. The SQLite store indexes with
// that tokenizer (per user, store/sqlite/user_tokenizer.*), the PostgreSQL store stores these
// tokens as a tsvector; `matches` is the test of one task against a query, for a listing that
// walks its sort index with the search as a residual filter.
#include <string>
#include <string_view>
#include <vector>

namespace tickler::store {

// The tokens unicode61 makes of text, in order. Any thread may call it.
[[nodiscard]] std::vector<std::string> search_tokens(std::string_view text);

// A query's words, each as its tokens; words without tokens are left out (FTS5 leaves out an
// empty phrase), so an empty result matches nothing.
using SearchPhrases = std::vector<std::vector<std::string>>;
[[nodiscard]] SearchPhrases search_phrases(const std::vector<std::string>& words);

// Whether a task's fields (tags space-separated, as the index holds them) match every phrase.
[[nodiscard]] bool matches(const SearchPhrases& phrases, std::string_view title,
                           std::string_view description, std::string_view tags);

}  // namespace tickler::store
