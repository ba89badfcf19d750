#include "store/search_words.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <span>
#include <stdexcept>

namespace tickler::store {
namespace {

// FTS5's unicode61 tokenizer, found once through an in-memory SQLite connection. Tokenizer
// instances keep a folding buffer, so each thread creates its own, once.
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

  // Calls on_token(ctx, token, size) for each token of text.
  template <typename Fn>
  void each_token(std::string_view text, Fn&& fn) const {
    if (text.empty()) return;
    thread_local const Instance instance{*this};
    instance.tokenizer.xTokenize(instance.handle, &fn, FTS5_TOKENIZE_DOCUMENT, text.data(),
                                 static_cast<int>(text.size()), &on_token<Fn>);
  }

 private:
  struct Instance {
    explicit Instance(const Unicode61& u) : tokenizer(u.tokenizer_) {
      const char* args[] = {"remove_diacritics", "2"};
      if (tokenizer.xCreate(u.context_, args, 2, &handle) != SQLITE_OK) {
        throw std::runtime_error("unicode61: cannot create a tokenizer");
      }
    }
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;
    ~Instance() { tokenizer.xDelete(handle); }
    fts5_tokenizer tokenizer;
    Fts5Tokenizer* handle = nullptr;
  };

  template <typename Fn>
  static int on_token(void* ctx, int /*flags*/, const char* token, int size, int /*start*/,
                      int /*end*/) {
    (*static_cast<std::remove_reference_t<Fn>*>(ctx))(
        std::string_view{token, static_cast<std::size_t>(size)});
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

// Whether phrase occurs in tokens: consecutive, the last one as a prefix.
bool contains(std::span<const std::string> tokens, const std::vector<std::string>& phrase) {
  if (phrase.size() > tokens.size()) return false;
  const std::size_t last = phrase.size() - 1;
  for (std::size_t i = 0; i + phrase.size() <= tokens.size(); ++i) {
    bool all = true;
    for (std::size_t k = 0; k < last && all; ++k) all = tokens[i + k] == phrase[k];
    if (all && tokens[i + last].starts_with(phrase[last])) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> search_tokens(std::string_view text) {
  std::vector<std::string> out;
  unicode61().each_token(text, [&](std::string_view token) { out.emplace_back(token); });
  return out;
}

SearchPhrases search_phrases(const std::vector<std::string>& words) {
  SearchPhrases out;
  for (const auto& word : words) {
    auto tokens = search_tokens(word);
    if (!tokens.empty()) out.push_back(std::move(tokens));
  }
  return out;
}

bool matches(const SearchPhrases& phrases, std::string_view title, std::string_view description,
             std::string_view tags) {
  if (phrases.empty()) return false;
  // Called for every task a listing walks: buffers are reused, and the test ends as soon as
  // every phrase is found (the title first, where words are most often found).
  thread_local std::vector<std::string> tokens;
  thread_local std::vector<char> found;
  found.assign(phrases.size(), 0);
  std::size_t missing = phrases.size();
  for (const auto field : {title, tags, description}) {
    if (field.empty()) continue;
    std::size_t n = 0;
    unicode61().each_token(field, [&](std::string_view token) {
      if (n < tokens.size()) {
        tokens[n].assign(token);
      } else {
        tokens.emplace_back(token);
      }
      ++n;
    });
    const std::span<const std::string> field_tokens{tokens.data(), n};
    for (std::size_t i = 0; i < phrases.size(); ++i) {
      if (found[i] || !contains(field_tokens, phrases[i])) continue;
      found[i] = 1;
      if (--missing == 0) return true;
    }
  }
  return false;
}

}  // namespace tickler::store
