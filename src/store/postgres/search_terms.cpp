#include "store/postgres/search_terms.hpp"

#include <algorithm>
#include <map>

#include "store/search_words.hpp"

namespace tickler::store::postgres {
namespace {

// PostgreSQL's limits: positions 1…16383, 256 per lexeme.
constexpr int k_max_position = 16383;
constexpr std::size_t k_max_positions = 256;

// text cut to at most max bytes on a UTF-8 boundary.
std::string_view cut(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n);
}

// A lexeme as PostgreSQL stores it: quoted, with quotes and backslashes escaped.
std::string quoted(std::string_view lexeme) {
  std::string out = "'";
  for (char c : lexeme) {
    if (c == '\'' || c == '\\') out += c == '\\' ? '\\' : '\'';
    out += c;
  }
  out += '\'';
  return out;
}

// A token as search_vector stores it: cut to the lexeme limit.
std::string quoted_lexeme(std::string_view token) {
  return quoted(cut(token, k_max_lexeme_bytes));
}

// A token's index key, as task_search_keys makes it from the stored lexeme: the owner's id, a
// colon, the lexeme, cut to the lexeme limit (a cut key is a prefix of every key it stands for,
// so prefix matches stay supersets; the listing tests the search itself anyway).
std::string quoted_key(std::int64_t user, std::string_view token) {
  const std::string key = std::to_string(user) + ":" + std::string{cut(token, k_max_lexeme_bytes)};
  return quoted(cut(key, k_max_lexeme_bytes));
}

}  // namespace

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
  for (const auto& tokens : search_phrases(words)) {
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

std::optional<std::string> search_key_query(std::int64_t user,
                                            const std::vector<std::string>& words) {
  std::string out;
  for (const auto& tokens : search_phrases(words)) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (!out.empty()) out += " & ";
      out += quoted_key(user, tokens[i]);
      if (i + 1 == tokens.size()) out += ":*";
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string tag_key(std::int64_t user, std::string_view tag) {
  return std::to_string(user) + "/" + std::string{tag};
}

}  // namespace tickler::store::postgres
