#include "store/sqlite/connection.hpp"

#include "store/sqlite/search_index.hpp"

namespace tickler::store::sqlite {

core::Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string{what} + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  const int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return core::make_error(core::Errc::conflict, std::move(msg));
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return core::make_error(core::Errc::unavailable, std::move(msg));
  }
  return core::make_error(core::Errc::internal, std::move(msg));
}

Statement::~Statement() {
  if (!stmt_) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
  } else {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::bind(int index, std::int64_t v) {
  sqlite3_bind_int64(stmt_, index, v);
  return *this;
}

Statement& Statement::bind(int index, std::string_view v) {
  sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind(int index, const std::vector<std::int64_t>& ids) {
  sqlite3_bind_blob64(stmt_, index, ids.data(), ids.size() * sizeof(std::int64_t),
                      SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& v) {
  return v ? bind(index, *v) : bind(index, std::nullopt);
}

core::Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(sqlite3_db_handle(stmt_), sqlite3_extended_errcode(sqlite3_db_handle(stmt_)),
                      "step");
}

core::Status Statement::run() {
  for (;;) {
    auto more = step();
    if (!more) return more.error();
    if (!*more) return {};
  }
}

Statement& Statement::bind(int index, const std::optional<std::string>& v) {
  return v ? bind(index, std::string_view{*v}) : bind(index, std::nullopt);
}

Statement& Statement::bind(int index, core::Instant v) {
  return bind(index, core::to_millis(v));
}

Statement& Statement::bind(int index, const std::optional<core::Instant>& v) {
  return v ? bind(index, *v) : bind(index, std::nullopt);
}

std::optional<std::string> Statement::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

std::optional<core::Instant> Statement::opt_instant(int col) const {
  if (is_null(col)) return std::nullopt;
  return instant(col);
}

core::Status Statement::each_row(const std::function<core::Status(const Statement&)>& fn) {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
    if (auto st = fn(*this); !st) return st;
  }
}

std::string_view Statement::view(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::optional<std::int64_t> Statement::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

core::Result<std::unique_ptr<Connection>> Connection::open(const std::string& path,
                                                           bool read_only) {
  sqlite3* db = nullptr;
  // Readers open read-write with query_only, so WAL's shared-memory file is always usable.
  const int flags =
      SQLITE_OPEN_READWRITE | (read_only ? 0 : SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<Connection> conn{new Connection(db)};
  if (rc != SQLITE_OK) return sqlite_error(db, rc, "open " + path);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  if (auto st = register_search(db); !st) return st.error();
  // NORMAL in WAL mode: a commit survives a process crash; only an OS crash can lose the last ones.
  const char* pragmas = read_only ? "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
  if (auto st = conn->exec(pragmas); !st) return st.error();
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

core::Result<Statement> Connection::prepare(const std::string& sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return Statement{it->second, false};
  const bool keep = cache_.size() < k_cache_limit;
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                    keep ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
  if (keep) cache_.emplace(sql, stmt);
  return Statement{stmt, !keep};
}

core::Status Connection::exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    auto e = sqlite_error(nullptr, rc, "exec");
    e.message = "exec: " + msg;
    return e;
  }
  return {};
}

}  // namespace tickler::store::sqlite
