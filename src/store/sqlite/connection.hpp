#pragma once
// Thin RAII over one sqlite3 connection and its prepared statements. A Connection is used by one
// thread at a time; statements are prepared once and cached by SQL text.
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace tickler::store::sqlite {

class Statement {
 public:
  // owned: finalized on destruction (not cached); else reset for reuse.
  Statement(sqlite3_stmt* stmt, bool owned) : stmt_(stmt), owned_(owned) {}
  Statement(Statement&& o) noexcept : stmt_(std::exchange(o.stmt_, nullptr)), owned_(o.owned_) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t v);
  Statement& bind(int index, std::string_view v);
  Statement& bind(int index, std::nullopt_t);
  Statement& bind(int index, const std::optional<std::int64_t>& v);
  Statement& bind(int index, const std::optional<std::string>& v);
  // Exact matches, so strings do not have to choose between string_view and optional<string>.
  Statement& bind(int index, const std::string& v) { return bind(index, std::string_view{v}); }
  Statement& bind(int index, const char* v) { return bind(index, std::string_view{v}); }
  Statement& bind(int index, core::Instant v);  // as Unix milliseconds
  Statement& bind(int index, const std::optional<core::Instant>& v);
  // Ids as a blob of int64 in the machine's order (tickler_in, search_index.hpp, reads it).
  Statement& bind(int index, const std::vector<std::int64_t>& ids);

  // true: a row is ready; false: done. Errors become core::Error.
  core::Result<bool> step();
  core::Status run();  // steps to the end

  // Columns of the current row (the shape store/row_codec.hpp reads rows through).
  [[nodiscard]] int columns() const { return sqlite3_column_count(stmt_); }
  [[nodiscard]] std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  [[nodiscard]] bool boolean(int col) const { return int64(col) != 0; }
  // Valid until the statement steps or is reset.
  [[nodiscard]] std::string_view view(int col) const;
  [[nodiscard]] std::string text(int col) const { return std::string{view(col)}; }
  [[nodiscard]] bool is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
  }
  [[nodiscard]] std::optional<std::int64_t> opt_int64(int col) const;
  [[nodiscard]] std::optional<std::string> opt_text(int col) const;
  [[nodiscard]] core::Instant instant(int col) const { return core::from_millis(int64(col)); }
  [[nodiscard]] std::optional<core::Instant> opt_instant(int col) const;
  // Steps through every row, calling fn on each; stops at the first error.
  core::Status each_row(const std::function<core::Status(const Statement&)>& fn);

 private:
  sqlite3_stmt* stmt_;
  bool owned_;
};

// Binds parameters in order, from `first`: how the shared codecs (store/row_codec.hpp) add a
// group of columns to a Statement, as they do to PostgreSQL's Params.
class Binder {
 public:
  Binder(Statement& s, int first) : s_(s), next_(first) {}
  template <class T>
  Binder& add(const T& value) {
    s_.bind(next_++, value);
    return *this;
  }

 private:
  Statement& s_;
  int next_;
};

class Connection {
 public:
  // Opens (creating if needed) the file and sets WAL, foreign keys and a busy timeout.
  static core::Result<std::unique_ptr<Connection>> open(const std::string& path, bool read_only);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A prepared statement, cached by SQL text up to k_cache_limit statements (then prepared for
  // one use), reset when the returned Statement goes away.
  core::Result<Statement> prepare(const std::string& sql);
  core::Status exec(const std::string& sql);  // one or more statements, no results
  [[nodiscard]] std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  [[nodiscard]] sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  static constexpr std::size_t k_cache_limit = 256;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Maps a SQLite result code to core::Error: BUSY/LOCKED → unavailable, UNIQUE → conflict.
core::Error sqlite_error(sqlite3* db, int rc, std::string_view what);

}  // namespace tickler::store::sqlite
