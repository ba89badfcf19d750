#include "store/postgres/search_terms.hpp"

#include <sqlite3.h>

#include <map>
#include <stdexcept>

namespace tickler::store::postgres {
namespace {

// PostgreSQL's limits: a lexeme of at most 2047 bytes, positions 1…16383, 256 per lexeme.
constexpr std::size_t k_max_lexeme_bytes = 2047;
constexpr int k_max_position = 16383;
constexpr std::size_t k_max_positions = 256;

// FTS5's unicode61 tokenizer, found once through an in-memory SQLite connection. Each call
// creates its own tokenizer instance (they keep a folding buffer), so any thread may tokenize.
class Unicode61 {
 public:
  Unicode61() {
    if (sqlite3_open(":memory:", &db_) != SQLITE_OK) throw std::runtime_error("sqlite3_open");
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
      sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
      sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (!api || api->xFindTokenizer(api, "unicode61", &context_, &tokenizer_) != SQLITE_OK) {
      throw std::runtime_error("SQLite has no FTS5 unicode61 tokenizer");
    }
  }
  Unicode61(const Unicode61&) = delete;
  Unicode61& operator=(const Unicode61&) = delete;
  ~Unicode61() { sqlite3_close(db_); }

  [[nodiscard]] std::vector<std::string> tokens(std::string_view text) const {
    std::vector<std::string> out;
    if (text.empty()) return out;
    const char* args[] = {"remove_diacritics", "2"};
    Fts5Tokenizer* tok = nullptr;
    if (tokenizer_.xCreate(context_, args, 2, &tok) != SQLITE_OK) {
      throw std::runtime_error("unicode61: cannot create a tokenizer");
    }
    tokenizer_.xTokenize(tok, &out, FTS5_TOKENIZE_DOCUMENT, text.data(),
                         static_cast<int>(text.size()), &Unicode61::on_token);
    tokenizer_.xDelete(tok);
    return out;
  }

 private:
  static int on_token(void* ctx, int /*flags*/, const char* token, int size, int /*start*/,
                      int /*end*/) {
    static_cast<std::vector<std::string>*>(ctx)->emplace_back(token,
                                                              static_cast<std::size_t>(size));
    return SQLITE_OK;
  }

  sqlite3* db_ = nullptr;
  void* context_ = nullptr;
  fts5_tokenizer tokenizer_{};
};

const Unicode61& unicode61() {
  static const Unicode61 instance;
  return instance;
}

// A lexeme as PostgreSQL stores it: cut to its length limit on a UTF-8 boundary, quoted.
std::string quoted_lexeme(std::string_view token) {
  if (token.size() > k_max_lexeme_bytes) {
    std::size_t n = k_max_lexeme_bytes;
    while (n > 0 && (static_cast<unsigned char>(token[n]) & 0xC0) == 0x80) --n;
    token = token.substr(0, n);
  }
  std::string out = "'";
  for (char c : token) {
    if (c == '\'' || c == '\\') out += c == '\\' ? '\\' : '\'';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace

std::vector<std::string> search_tokens(std::string_view text) {
  return unicode61().tokens(text);
}

std::string search_vector(std::string_view title, std::string_view description,
                          std::string_view tags) {
  std::map<std::string, std::vector<int>> positions;
  int next = 1;
  for (auto field : {title, description, tags}) {
    for (auto& token : search_tokens(field)) {
      auto& at = positions[quoted_lexeme(token)];
      if (at.size() < k_max_positions) at.push_back(std::min(next, k_max_position));
      ++next;
    }
    ++next;  // a gap: no phrase across fields
  }
  std::string out;
  for (const auto& [lexeme, at] : positions) {
    if (!out.empty()) out += ' ';
    out += lexeme;
    for (std::size_t i = 0; i < at.size(); ++i) {
      out += i ? ',' : ':';
      out += std::to_string(at[i]);
    }
  }
  return out;
}

std::optional<std::string> search_query(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    const auto tokens = search_tokens(word);
    if (tokens.empty()) continue;
    if (!out.empty()) out += " & ";
    out += '(';
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (i) out += " <-> ";
      out += quoted_lexeme(tokens[i]);
    }
    out += ":*)";
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace tickler::store::postgres
