#include "store/postgres/search_terms.hpp"

#include <map>

#include "store/search_words.hpp"

namespace tickler::store::postgres {
namespace {

// PostgreSQL's limits: a lexeme of at most 2047 bytes, positions 1…16383, 256 per lexeme.
constexpr std::size_t k_max_lexeme_bytes = 2047;
constexpr int k_max_position = 16383;
constexpr std::size_t k_max_positions = 256;

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
