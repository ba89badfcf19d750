#include "store/sqlite/search_index.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "store/search_words.hpp"

namespace tickler::store::sqlite {
namespace {

constexpr char k_key_end = '\x1f';
constexpr std::size_t k_key_digits = 10;

// One tickler_user tokenizer: unicode61 (remove_diacritics 2) under a user key.
struct UserTokenizer {
  fts5_tokenizer inner{};
  Fts5Tokenizer* handle = nullptr;
};

struct TokenSink {
  std::string token;  // indexed_key(<user id>) + the token, reused
  std::size_t key_size = 0;
  int offset = 0;  // of the text after the key, in the field
  void* ctx = nullptr;
  int (*emit)(void*, int, const char*, int, int, int) = nullptr;
};

int user_tokenizer_create(void* api_ptr, const char** /*args*/, int /*nargs*/,
                          Fts5Tokenizer** out) {
  auto* api = static_cast<fts5_api*>(api_ptr);
  auto tokenizer = std::make_unique<UserTokenizer>();
  void* context = nullptr;
  if (int rc = api->xFindTokenizer(api, "unicode61", &context, &tokenizer->inner);
      rc != SQLITE_OK) {
    return rc;
  }
  const char* inner_args[] = {"remove_diacritics", "2"};
  if (int rc = tokenizer->inner.xCreate(context, inner_args, 2, &tokenizer->handle);
      rc != SQLITE_OK) {
    return rc;
  }
  *out = reinterpret_cast<Fts5Tokenizer*>(tokenizer.release());
  return SQLITE_OK;
}

void user_tokenizer_delete(Fts5Tokenizer* p) {
  std::unique_ptr<UserTokenizer> tokenizer{reinterpret_cast<UserTokenizer*>(p)};
  tokenizer->inner.xDelete(tokenizer->handle);
}

// "<user id, zero-padded to k_key_digits>:": every key has the same length, so the table's
// prefix indexes (lengths counted from the token's start) hold the first characters of words.
std::string indexed_key(std::string_view digits) {
  std::string key;
  if (digits.size() < k_key_digits) key.assign(k_key_digits - digits.size(), '0');
  key += digits;
  key += ':';
  return key;
}

int on_inner_token(void* ctx, int flags, const char* token, int size, int start, int end) {
  auto& sink = *static_cast<TokenSink*>(ctx);
  sink.token.resize(sink.key_size);
  sink.token.append(token, static_cast<std::size_t>(size));
  return sink.emit(sink.ctx, flags, sink.token.data(), static_cast<int>(sink.token.size()),
                   start + sink.offset, end + sink.offset);
}

int user_tokenizer_tokenize(Fts5Tokenizer* p, void* ctx, int flags, const char* text, int size,
                            int (*emit)(void*, int, const char*, int, int, int)) {
  const std::string_view field{text, static_cast<std::size_t>(size)};
  const auto end = field.find(k_key_end);
  if (end == std::string_view::npos || end == 0) return SQLITE_OK;  // no key: no tokens
  const auto key = field.substr(0, end);
  if (key.find_first_not_of("0123456789") != std::string_view::npos) return SQLITE_OK;
  auto& tokenizer = *reinterpret_cast<UserTokenizer*>(p);
  TokenSink sink{indexed_key(key), 0, static_cast<int>(end + 1), ctx, emit};
  sink.key_size = sink.token.size();
  const auto rest = field.substr(end + 1);
  return tokenizer.inner.xTokenize(tokenizer.handle, &sink, flags, rest.data(),
                                   static_cast<int>(rest.size()), &on_inner_token);
}

SearchPhrases decode_phrases(std::string_view encoded) {
  SearchPhrases out;
  while (!encoded.empty()) {
    const auto line_end = encoded.find('\n');
    auto line = encoded.substr(0, line_end);
    std::vector<std::string> tokens;
    while (!line.empty()) {
      const auto space = line.find(' ');
      tokens.emplace_back(line.substr(0, space));
      line = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    }
    if (!tokens.empty()) out.push_back(std::move(tokens));
    encoded =
        line_end == std::string_view::npos ? std::string_view{} : encoded.substr(line_end + 1);
  }
  return out;
}

std::string_view text_arg(sqlite3_value* v) {
  const auto* p = sqlite3_value_text(v);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_value_bytes(v))};
}

// tickler_match(title, description, tags, phrases): the phrases are decoded once per statement.
void match_function(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  auto* phrases = static_cast<SearchPhrases*>(sqlite3_get_auxdata(ctx, 3));
  if (!phrases) {
    phrases = new SearchPhrases(decode_phrases(text_arg(argv[3])));
    sqlite3_set_auxdata(ctx, 3, phrases, [](void* p) { delete static_cast<SearchPhrases*>(p); });
    phrases = static_cast<SearchPhrases*>(sqlite3_get_auxdata(ctx, 3));
    if (!phrases) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
  }
  sqlite3_result_int(
      ctx, matches(*phrases, text_arg(argv[0]), text_arg(argv[1]), text_arg(argv[2])) ? 1 : 0);
}

// tickler_in(id, ids): a binary search of the blob (read unaligned: a blob has no alignment).
void in_function(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  const auto id = sqlite3_value_int64(argv[0]);
  const auto* ids = static_cast<const unsigned char*>(sqlite3_value_blob(argv[1]));
  std::size_t lo = 0;
  std::size_t hi = static_cast<std::size_t>(sqlite3_value_bytes(argv[1])) / sizeof(std::int64_t);
  while (lo < hi) {
    const auto mid = lo + (hi - lo) / 2;
    std::int64_t at = 0;
    std::memcpy(&at, ids + mid * sizeof(std::int64_t), sizeof at);
    if (at == id) {
      sqlite3_result_int(ctx, 1);
      return;
    }
    if (at < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  sqlite3_result_int(ctx, 0);
}

}  // namespace

core::Status register_search(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (!api) return core::make_error(core::Errc::internal, "SQLite was built without FTS5");
  fts5_tokenizer tokenizer{&user_tokenizer_create, &user_tokenizer_delete,
                           &user_tokenizer_tokenize};
  if (api->xCreateTokenizer(api, "tickler_user", api, &tokenizer, nullptr) != SQLITE_OK) {
    return core::make_error(core::Errc::internal, "cannot register the search tokenizer");
  }
  if (sqlite3_create_function_v2(db, "tickler_match", 4,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, nullptr,
                                 &match_function, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return core::make_error(core::Errc::internal, "cannot register tickler_match");
  }
  if (sqlite3_create_function_v2(db, "tickler_in", 2,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, nullptr,
                                 &in_function, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return core::make_error(core::Errc::internal, "cannot register tickler_in");
  }
  return {};
}

std::string fts_match_expression(core::UserId user, const std::vector<std::string>& words) {
  const std::string key = std::to_string(user) + k_key_end;
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += '"';
    out += key;
    for (char c : w) {
      if (c == '"') out += '"';
      out += c;
    }
    out += "\"*";
  }
  return out;
}

std::string encode_phrases(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& phrase : search_phrases(words)) {
    if (!out.empty()) out += '\n';
    for (std::size_t i = 0; i < phrase.size(); ++i) {
      if (i) out += ' ';
      out += phrase[i];
    }
  }
  return out;
}

}  // namespace tickler::store::sqlite
