#pragma once
// Thin RAII over one libpq connection (PGconn) and its results (PGresult). Statements take
// parameters in PostgreSQL's text format; a named Query is prepared on a connection the first
// time it runs there. A PgConnection is used by one thread at a time. Failures come back as
// core::Error carrying the SQLSTATE (details "sqlstate"), so the store can retry a transaction
// or replace a broken connection.
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace tickler::store::postgres {

// A statement known by name, prepared once per connection (userver's kSelectValue style).
struct Query {
  const char* name;
  const char* sql;
};

// Statement parameters in text format; nullopt is NULL.
class Params {
 public:
  Params() = default;
  template <class... Args>
  explicit Params(const Args&... args) {
    values_.reserve(sizeof...(args));
    (add(args), ...);
  }

  Params& add(std::int64_t v) { return push(std::to_string(v)); }
  Params& add(int v) { return push(std::to_string(v)); }
  Params& add(bool v) { return push(v ? "true" : "false"); }
  Params& add(std::string_view v) { return push(std::string{v}); }
  Params& add(const std::string& v) { return push(v); }
  Params& add(std::string&& v) { return push(std::move(v)); }
  Params& add(const char* v) { return push(v); }
  Params& add(std::nullopt_t) {
    values_.emplace_back();
    return *this;
  }
  Params& add(core::Instant v) { return add(core::to_millis(v)); }  // as Unix milliseconds
  template <class T>
  Params& add(const std::optional<T>& v) {
    return v ? add(*v) : add(std::nullopt);
  }

  void reserve(std::size_t n) { values_.reserve(n); }
  [[nodiscard]] int size() const { return static_cast<int>(values_.size()); }
  // Pointers into the values for libpq, valid while this object lives unchanged.
  [[nodiscard]] std::vector<const char*> pointers() const;

 private:
  Params& push(std::string v) {
    values_.emplace_back(std::move(v));
    return *this;
  }
  std::vector<std::optional<std::string>> values_;
};

// One row of a result, read by column index.
class Row {
 public:
  Row(const PGresult* res, int row) : res_(res), row_(row) {}
  [[nodiscard]] bool is_null(int col) const { return PQgetisnull(res_, row_, col) != 0; }
  [[nodiscard]] std::string_view view(int col) const {
    return {PQgetvalue(res_, row_, col), static_cast<std::size_t>(PQgetlength(res_, row_, col))};
  }
  [[nodiscard]] std::string text(int col) const { return std::string{view(col)}; }
  [[nodiscard]] std::int64_t int64(int col) const;
  [[nodiscard]] bool boolean(int col) const { return view(col) == "t"; }
  [[nodiscard]] core::Instant instant(int col) const { return core::from_millis(int64(col)); }
  [[nodiscard]] std::optional<std::string> opt_text(int col) const;
  [[nodiscard]] std::optional<std::int64_t> opt_int64(int col) const;
  [[nodiscard]] std::optional<core::Instant> opt_instant(int col) const;

 private:
  const PGresult* res_;
  int row_;
};

class PgResult {
 public:
  explicit PgResult(PGresult* res) : res_(res) {}
  PgResult(PgResult&& o) noexcept : res_(std::exchange(o.res_, nullptr)) {}
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;
  ~PgResult() { PQclear(res_); }

  [[nodiscard]] int rows() const { return PQntuples(res_); }
  [[nodiscard]] int columns() const { return PQnfields(res_); }
  [[nodiscard]] Row row(int i) const { return {res_, i}; }
  [[nodiscard]] bool empty() const { return rows() == 0; }
  // Rows an INSERT, UPDATE or DELETE touched.
  [[nodiscard]] std::int64_t affected() const;
  // The command tag's verb: "COMMIT", "ROLLBACK", "INSERT", …
  [[nodiscard]] std::string_view command() const;

 private:
  PGresult* res_;
};

class PgConnection {
 public:
  // libpq keyword/value pairs (the URL goes in as "dbname", expanded); search_path, when not
  // empty, is set on the session after every (re)connect.
  struct Options {
    std::vector<std::pair<std::string, std::string>> keywords;
    std::string search_path;
  };

  static core::Result<std::unique_ptr<PgConnection>> connect(const Options& options);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // One or more statements without parameters (simple query protocol).
  core::Result<PgResult> exec(const std::string& sql);
  // A named statement, prepared here on first use.
  core::Result<PgResult> exec(const Query& query, const Params& params);
  // Statement text built at run time: prepared and kept by text (up to k_cache_limit).
  core::Result<PgResult> exec_text(const std::string& sql, const Params& params);

  // Sends `begin` (a BEGIN statement, a literal that outlives the call) in one round trip with
  // the next statement, in libpq's pipeline mode: a transaction's BEGIN costs no wait of its
  // own. If BEGIN fails, that statement fails with its error.
  void begin_with_next(const char* begin) { pending_begin_ = begin; }
  // True while that BEGIN waits for a statement: no transaction has started on the server.
  [[nodiscard]] bool begin_pending() const { return pending_begin_ != nullptr; }
  void drop_pending_begin() { pending_begin_ = nullptr; }
  // Sends sql (the COMMIT of a read-only transaction: it ends the transaction whatever it
  // answers) without waiting for the answer; the next statement here reads it first. A lost
  // connection shows then, as broken().
  void send_unawaited(const char* sql);
  // True when the server is gone (libpq gave up on the socket).
  [[nodiscard]] bool broken() const { return PQstatus(conn_) == CONNECTION_BAD; }
  // No transaction open, or only an unawaited statement that ends it.
  [[nodiscard]] bool idle() const {
    return unawaited_ || PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }
  // Reconnects (PQreset) and sets the session up again; false when that failed.
  bool reset();
  // The SQLSTATE of the first statement that failed since the last clear_failure(), so a
  // transaction knows why it aborted even when later statements failed with 25P02.
  [[nodiscard]] const std::string& first_failure() const { return first_failure_; }
  void clear_failure() { first_failure_.clear(); }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  core::Status set_up_session();
  // Reads and drops the answer to send_unawaited's statement, if one is due.
  void settle();
  core::Result<PgResult> check(PGresult* res, std::string_view what);
  core::Result<PgResult> exec_prepared(const std::string& name, const char* sql,
                                       const Params& params);
  // The pending BEGIN, then (prepare: PREPARE name, remembered once it succeeded: prepared
  // statements outlive a rolled-back transaction) the statement — named, or sql with params
  // when name is null — in one pipeline: one round trip. Returns the statement's result, or
  // the first error.
  core::Result<PgResult> exec_after_begin(const char* name, const char* sql, bool prepare,
                                          const Params& params);

  PGconn* conn_;
  std::string search_path_;
  std::unordered_set<std::string> prepared_;              // statement names on this session
  std::unordered_map<std::string, std::string> by_text_;  // run-time text → statement name
  std::string first_failure_;
  const char* pending_begin_ = nullptr;
  bool unawaited_ = false;
  static constexpr std::size_t k_cache_limit = 256;
};

// The SQLSTATEs the store reacts to.
inline constexpr std::string_view k_unique_violation = "23505";
inline constexpr std::string_view k_serialization_failure = "40001";
inline constexpr std::string_view k_deadlock_detected = "40P01";

// A failed command as core::Error: unique violation → conflict; a lost connection, an
// administrator's shutdown, a serialization failure or a deadlock → unavailable (transient);
// anything else → internal.
[[nodiscard]] core::Error pg_error(PGconn* conn, const PGresult* res, std::string_view what);

// text[] in and out of PostgreSQL's array text format.
[[nodiscard]] std::string to_pg_array(const std::vector<std::string>& items);
[[nodiscard]] std::vector<std::string> from_pg_array(std::string_view text);

// "name" quoted as an SQL identifier.
[[nodiscard]] std::string quote_identifier(std::string_view name);

}  // namespace tickler::store::postgres
