#include "store/postgres/pg_connection.hpp"

#include <charconv>
#include <optional>
#include <utility>

namespace tickler::store::postgres {
namespace {

// The SQLSTATE libpq reports for a result, or "08006" (connection failure) when the connection
// is gone and the server said nothing.
std::string sqlstate_of(PGconn* conn, const PGresult* res) {
  const char* code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (code) return code;
  if (PQstatus(conn) == CONNECTION_BAD) return "08006";
  return "XX000";
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

core::Error pg_error(PGconn* conn, const PGresult* res, std::string_view what) {
  const std::string state = sqlstate_of(conn, res);
  std::string detail =
      trimmed(res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  std::string message = std::string{what} + ": " + detail;
  core::Errc code = core::Errc::internal;
  if (state == k_unique_violation) {
    code = core::Errc::conflict;
  } else if (PQstatus(conn) == CONNECTION_BAD || state.starts_with("08") ||
             state.starts_with("57P") || state == k_serialization_failure ||
             state == k_deadlock_detected) {
    // Lost connection, server shutting down, or a transaction that lost a race: transient.
    code = core::Errc::unavailable;
  }
  return core::make_error(code, std::move(message), {{"sqlstate", state}});
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

std::int64_t Row::int64(int col) const {
  const auto v = view(col);
  std::int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

std::optional<std::string> Row::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

std::optional<std::int64_t> Row::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

std::optional<core::Instant> Row::opt_instant(int col) const {
  if (is_null(col)) return std::nullopt;
  return instant(col);
}

std::int64_t PgResult::affected() const {
  const std::string_view n = PQcmdTuples(res_);
  std::int64_t out = 0;
  std::from_chars(n.data(), n.data() + n.size(), out);
  return out;
}

std::string_view PgResult::command() const {
  std::string_view tag = PQcmdStatus(res_);
  return tag.substr(0, tag.find(' '));
}

core::Result<std::unique_ptr<PgConnection>> PgConnection::connect(const Options& options) {
  std::vector<const char*> keys;
  std::vector<const char*> values;
  for (const auto& [k, v] : options.keywords) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  std::unique_ptr<PgConnection> conn{
      new PgConnection(PQconnectdbParams(keys.data(), values.data(), 1))};
  if (!conn->conn_) return core::make_error(core::Errc::internal, "connect: out of memory");
  if (conn->broken()) {
    return core::make_error(core::Errc::unavailable,
                            "connect: " + trimmed(PQerrorMessage(conn->conn_)),
                            {{"sqlstate", std::string{"08001"}}});
  }
  // Notices (such as "relation already exists, skipping") are not errors: libpq would print them.
  PQsetNoticeProcessor(
      conn->conn_, [](void*, const char*) {}, nullptr);
  conn->search_path_ = options.search_path;
  if (auto st = conn->set_up_session(); !st) return st.error();
  return conn;
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

core::Status PgConnection::set_up_session() {
  if (search_path_.empty()) return {};
  const Params params{search_path_};
  const auto values = params.pointers();
  auto res = check(PQexecParams(conn_, "SELECT pg_catalog.set_config('search_path', $1, false)", 1,
                                nullptr, values.data(), nullptr, nullptr, 0),
                   "set search_path");
  if (!res) return res.error();
  return {};
}

bool PgConnection::reset() {
  pending_begin_ = nullptr;
  unawaited_ = false;
  prepared_.clear();
  by_text_.clear();
  PQreset(conn_);
  return !broken() && set_up_session();
}

core::Result<PgResult> PgConnection::check(PGresult* res, std::string_view what) {
  const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return PgResult{res};
  auto error = pg_error(conn_, res, what);
  if (first_failure_.empty()) first_failure_ = std::get<std::string>(error.details["sqlstate"]);
  PQclear(res);
  return error;
}

void PgConnection::send_unawaited(const char* sql) {
  settle();
  unawaited_ = PQsendQuery(conn_, sql) == 1;
}

void PgConnection::settle() {
  if (!std::exchange(unawaited_, false)) return;
  while (PGresult* res = PQgetResult(conn_)) PQclear(res);
}

core::Result<PgResult> PgConnection::exec(const std::string& sql) {
  settle();
  if (const char* begin = std::exchange(pending_begin_, nullptr)) {
    if (auto b = check(PQexec(conn_, begin), "begin"); !b) return b.error();
  }
  return check(PQexec(conn_, sql.c_str()), "exec");
}

core::Result<PgResult> PgConnection::exec_after_begin(const char* name, const char* sql,
                                                      bool prepare, const Params& params) {
  settle();
  const char* begin = std::exchange(pending_begin_, nullptr);
  const auto values = params.pointers();
  if (PQenterPipelineMode(conn_) != 1) return check(nullptr, "pipeline");
  bool sent = PQsendQueryParams(conn_, begin, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  if (sent && prepare) sent = PQsendPrepare(conn_, name, sql, 0, nullptr) == 1;
  if (sent) {
    sent = name ? PQsendQueryPrepared(conn_, name, params.size(), values.data(), nullptr, nullptr,
                                      0) == 1
                : PQsendQueryParams(conn_, sql, params.size(), nullptr, values.data(), nullptr,
                                    nullptr, 0) == 1;
  }
  if (sent) sent = PQpipelineSync(conn_) == 1;
  if (!sent) {
    // Nothing waits for an answer that cannot come: the connection is reset before reuse.
    auto error = check(nullptr, "pipeline");
    (void)PQexitPipelineMode(conn_);
    return error;
  }
  // Each statement's result and a null, then the sync's. After a failure the server skips the
  // rest (PGRES_PIPELINE_ABORTED) up to the sync.
  const int statements = prepare ? 3 : 2;
  std::optional<core::Result<PgResult>> outcome;
  for (int i = 0; i < statements && !broken(); ++i) {
    PGresult* res = PQgetResult(conn_);
    while (PGresult* more = PQgetResult(conn_)) PQclear(more);
    const char* what = i == 0 ? "begin" : i + 1 < statements ? "prepare" : "exec";
    if (outcome) {
      PQclear(res);
      continue;
    }
    auto checked = check(res, what);
    if (checked && prepare && i == 1) prepared_.insert(name);
    if (!checked || i + 1 == statements) outcome.emplace(std::move(checked));
  }
  if (!broken()) {
    PGresult* sync = PQgetResult(conn_);
    const bool synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (synced) (void)PQexitPipelineMode(conn_);
  }
  if (!outcome) return check(nullptr, "pipeline");
  return std::move(*outcome);
}

core::Result<PgResult> PgConnection::exec_prepared(const std::string& name, const char* sql,
                                                   const Params& params) {
  if (pending_begin_) return exec_after_begin(name.c_str(), sql, !prepared_.contains(name), params);
  settle();
  if (!prepared_.contains(name)) {
    auto prep = check(PQprepare(conn_, name.c_str(), sql, 0, nullptr), "prepare " + name);
    if (!prep) return prep.error();
    prepared_.insert(name);
  }
  const auto values = params.pointers();
  return check(
      PQexecPrepared(conn_, name.c_str(), params.size(), values.data(), nullptr, nullptr, 0), name);
}

core::Result<PgResult> PgConnection::exec(const Query& query, const Params& params) {
  return exec_prepared(query.name, query.sql, params);
}

core::Result<PgResult> PgConnection::exec_text(const std::string& sql, const Params& params) {
  if (auto it = by_text_.find(sql); it != by_text_.end()) {
    return exec_prepared(it->second, sql.c_str(), params);
  }
  if (by_text_.size() < k_cache_limit) {
    auto name = "text_" + std::to_string(by_text_.size() + 1);
    by_text_.emplace(sql, name);
    return exec_prepared(name, sql.c_str(), params);
  }
  if (pending_begin_) return exec_after_begin(nullptr, sql.c_str(), false, params);
  settle();
  const auto values = params.pointers();
  return check(
      PQexecParams(conn_, sql.c_str(), params.size(), nullptr, values.data(), nullptr, nullptr, 0),
      "exec");
}

std::string to_pg_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::vector<std::string> from_pg_array(std::string_view text) {
  std::vector<std::string> out;
  if (text.size() < 2 || text.front() != '{') return out;
  std::size_t i = 1;
  while (i < text.size() && text[i] != '}') {
    std::string item;
    if (text[i] == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        item += text[i];
      }
      ++i;  // the closing quote
      out.push_back(std::move(item));
    } else {
      const auto end = text.find_first_of(",}", i);
      item = text.substr(i, end - i);
      i = end == std::string_view::npos ? text.size() : end;
      if (item != "NULL") out.push_back(std::move(item));
    }
    if (i < text.size() && text[i] == ',') ++i;
  }
  return out;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace tickler::store::postgres
