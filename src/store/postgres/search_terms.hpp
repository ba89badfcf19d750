#pragma once
// Task search on PostgreSQL with the SQLite store's exact semantics. Words are cut and folded by
// the very tokenizer the SQLite schema indexes with — FTS5's unicode61 with remove_diacritics 2,
// reached through SQLite's FTS5 API — and stored as a tsvector; a query becomes a tsquery in
// which every word must match as a prefix, as fts_match_expression asks FTS5. PostgreSQL's own
// parsers ('simple' included) cut differently: they keep e-mail addresses, URLs, paths and
// numbers like 3.14 whole, and neither fold diacritics nor treat punctuation beyond ASCII as a
// separator.
//
// The index holds each lexeme under its owner (task_search_keys and task_tag_keys in
// migrations/postgres/api/0003_search_by_user.sql): '<user id>:<lexeme>' and '<user id>/<tag>',
// so a search reads the entries of one user only.
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

// The same words as a tsquery over the user's index keys (task_search_keys): every token of
// every word, each one under the user — a phrase's inner tokens exact, its last one a prefix —
// and no order between them. Every task search_query matches has all of them, so a listing
// finds its candidates through the index and tests search_query on those. nullopt as above.
[[nodiscard]] std::optional<std::string> search_key_query(std::int64_t user,
                                                          const std::vector<std::string>& words);

// A tag as task_tag_keys indexes it: "<user id>/<tag>".
[[nodiscard]] std::string tag_key(std::int64_t user, std::string_view tag);

}  // namespace tickler::store::postgres
