#pragma once
// The SQLite store's search index, partitioned by user (migrations/sqlite/0007_search_per_user):
// tasks_fts indexes each field through the `tickler_user` tokenizer, which reads the field as
// "<user id>\x1f<text>" and emits unicode61's tokens of the text as "<user id>:<token>", the id
// zero-padded to 10 digits (so the table's prefix indexes, whose lengths count from the token's
// start, hold the first 1–6 characters of words). A search for "<user id>:rent"* then reads
// only that user's postings, so its cost does not depend on other users' tasks. Fields without a
// key yield no tokens (nothing a user types can reach another user's partition: the key is written
// by the store, not taken from the text).
//
// `tickler_match(title, description, tags, phrases)` is store/search_words.hpp's `matches` as
// an SQL function: the residual filter of a listing that walks its sort index rather than the
// search index (store/search_plan.hpp). phrases: encode_phrases of the query's words.
//
// `tickler_in(id, ids)`: whether id is among ids, ascending and bound as one blob
// (Statement::bind of a vector): a search's hits, read once from the index, tested on each
// index entry a walk reads (the task id is in every entry), where tickler_match would read the
// row.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::store::sqlite {

// Registers the tokenizer and the function on a connection (each connection, before use).
core::Status register_search(sqlite3* db);

// A MATCH expression in which every word must match as a prefix, in the user's partition; words
// are quoted, so FTS5 query syntax in user input is taken literally.
[[nodiscard]] std::string fts_match_expression(core::UserId user,
                                               const std::vector<std::string>& words);

// The words' phrases (tokens space-separated, phrases newline-separated: tokens hold neither).
[[nodiscard]] std::string encode_phrases(const std::vector<std::string>& words);

}  // namespace tickler::store::sqlite
