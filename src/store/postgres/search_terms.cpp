#include "store/postgres/search_terms.hpp"

#include <algorithm>
#include <cstdint>
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

// code point cp in UTF-8.
void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
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

std::vector<WordRange> search_word_ranges(const std::vector<std::string>& words) {
  std::vector<WordRange> out;
  for (const auto& tokens : search_phrases(words)) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      WordRange range;
      range.low = std::string{cut(tokens[i], k_max_lexeme_bytes)};
      range.exact = i + 1 < tokens.size();
      if (!range.exact) range.high = prefix_end(range.low);
      out.push_back(std::move(range));
    }
  }
  return out;
}

std::optional<std::string> prefix_end(std::string_view prefix) {
  // The prefix's code points (tokens are valid UTF-8).
  std::vector<std::uint32_t> cps;
  for (std::size_t i = 0; i < prefix.size();) {
    const auto c = static_cast<unsigned char>(prefix[i]);
    const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    std::uint32_t cp = n == 1 ? c : c & (0xFFu >> (n + 1));
    for (std::size_t k = 1; k < n && i + k < prefix.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(prefix[i + k]) & 0x3Fu);
    }
    cps.push_back(cp);
    i += n;
  }
  while (!cps.empty() && cps.back() >= 0x10FFFF) cps.pop_back();
  if (cps.empty()) return std::nullopt;
  auto& last = cps.back();
  last = last + 1 == 0xD800 ? 0xE000 : last + 1;  // no surrogates in UTF-8
  std::string out;
  for (auto cp : cps) append_utf8(out, cp);
  return out;
}

std::string tag_key(std::int64_t user, std::string_view tag) {
  return std::to_string(user) + "/" + std::string{tag};
}

}  // namespace tickler::store::postgres
