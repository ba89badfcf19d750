#pragma once
// Task search on PostgreSQL with the SQLite store's exact semantics. Words are cut and folded by
// the very tokenizer the SQLite schema indexes with — FTS5's unicode61 with remove_diacritics 2,
// reached through SQLite's FTS5 API — and stored as a tsvector; a query becomes a tsquery in
// which every word must match as a prefix, as fts_match_expression asks FTS5. PostgreSQL's own
// parsers ('simple' included) cut differently: they keep e-mail addresses, URLs, paths and
// numbers like 3.14 whole, and neither fold diacritics nor treat punctuation beyond ASCII as a
// separator.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickler::store::postgres {

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

}  // namespace tickler::store::postgres
