#include "store/postgres/pg_store.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "store/migrations.hpp"

namespace tickler::store::postgres {
namespace {

constexpr const char* k_begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
constexpr const char* k_begin_write = "BEGIN ISOLATION LEVEL REPEATABLE READ";
// One lock per schema: processes migrating the same tables wait for each other.
constexpr const char* k_lock_migrations =
    "SELECT pg_advisory_xact_lock(hashtextextended('tickler.migrate.' || "
    "coalesce(current_schema(), ''), 0))";
constexpr const char* k_create_schema_migrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations (role text NOT NULL, version integer NOT NULL, "
    "name text NOT NULL, applied_at bigint NOT NULL, PRIMARY KEY (role, version))";
constexpr Query k_select_migration{
    "select_migration", "SELECT 1 FROM schema_migrations WHERE role = $1 AND version = $2"};
constexpr Query k_insert_migration{
    "insert_migration",
    "INSERT INTO schema_migrations (role, version, name, applied_at) VALUES ($1, $2, $3, $4)"};

bool lost_race(std::string_view sqlstate) {
  return sqlstate == k_serialization_failure || sqlstate == k_deadlock_detected;
}

// A random pause before running a transaction again, up to 1 ms, 2 ms, 4 ms … 64 ms: the
// jitter spreads the losers of a race out, so they rarely meet again.
void back_off(int attempt) {
  thread_local std::minstd_rand random{std::random_device{}()};
  const int most_us = 1000 << std::min(attempt, 6);
  std::this_thread::sleep_for(
      std::chrono::microseconds{std::uniform_int_distribution<int>{100, most_us}(random)});
}

// The error of a transaction PostgreSQL aborted although fn did not see a failure (COMMIT then
// answers ROLLBACK).
core::Error aborted(std::string_view sqlstate) {
  const auto code = sqlstate == k_unique_violation ? core::Errc::conflict
                    : lost_race(sqlstate)          ? core::Errc::unavailable
                                                   : core::Errc::internal;
  return core::make_error(
      code, "transaction aborted by an earlier error (SQLSTATE " + std::string{sqlstate} + ")",
      {{"sqlstate", std::string{sqlstate}}});
}

// BEGIN, fn, COMMIT on conn; rolls back when something fails. commit_sent tells whether COMMIT
// went out (then a lost connection leaves the outcome unknown). BEGIN goes out with fn's first
// statement, in the same round trip; when fn ran none, there is no transaction to end. A read
// commits without waiting: its answer changes nothing for fn's results, and the connection's
// next statement reads it.
Status run_transaction(PgConnection& conn, bool write, const std::function<Status(PgTx&)>& fn,
                       bool& commit_sent) {
  conn.begin_with_next(write ? k_begin_write : k_begin_read);
  PgTx tx{conn};
  Status st = fn(tx);
  if (conn.begin_pending()) {
    conn.drop_pending_begin();
    return st;
  }
  // A read's COMMIT is not waited for, unless a statement failed: then it answers ROLLBACK and
  // the read fails, as a write does, even when fn ignored the failure.
  if (st && !write && conn.first_failure().empty()) {
    conn.send_unawaited("COMMIT");
    return st;
  }
  if (st) {
    commit_sent = true;
    auto end = conn.exec("COMMIT");
    if (!end) {
      st = end.error();
    } else if (end->command() != "COMMIT") {
      st = aborted(conn.first_failure());
    }
  }
  if (!st && !conn.broken() && !conn.idle()) (void)conn.exec("ROLLBACK");
  return st;
}

}  // namespace

PostgresStore::PostgresStore(PostgresSettings settings) : settings_(std::move(settings)) {
  // Before the URL, so the URL may override them; the URL itself expands from "dbname".
  options_.keywords = {
      {"application_name", settings_.application_name},
      {"connect_timeout", std::to_string(settings_.connect_timeout_seconds)},
      {"dbname", settings_.url},
  };
  if (!settings_.schema.empty()) options_.search_path = quote_identifier(settings_.schema);
}

std::vector<std::string> PostgresStore::all_roles() {
  std::vector<std::string> out;
  for (auto role : postgres_roles()) out.emplace_back(role);
  return out;
}

core::Result<std::unique_ptr<PostgresStore>> PostgresStore::open(PostgresSettings settings) {
  if (settings.pool_size < 1 || settings.max_attempts < 1) {
    return core::make_error(core::Errc::invalid_parameter,
                            "postgres: pool_size and max_attempts must be at least 1");
  }
  const auto& known = postgres_roles();
  for (const auto& role : settings.roles) {
    if (std::find(known.begin(), known.end(), role) == known.end()) {
      return core::make_error(core::Errc::invalid_parameter,
                              "postgres: no migration folder for role '" + role + "'");
    }
  }
  std::unique_ptr<PostgresStore> store{new PostgresStore(std::move(settings))};
  auto conn = PgConnection::connect(store->options_);
  if (!conn) return conn.error();
  store->idle_.push_back(std::move(*conn));
  store->open_ = 1;
  return store;
}

core::Result<PostgresStore::Lease> PostgresStore::checkout() {
  std::unique_lock lock{pool_mutex_};
  if (idle_.empty() && open_ >= settings_.pool_size) {
    ++waits_;
    pool_cv_.wait(lock, [this] { return !idle_.empty() || open_ < settings_.pool_size; });
  }
  ++in_use_;
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease{*this, std::move(conn)};
  }
  ++open_;
  lock.unlock();
  auto conn = PgConnection::connect(options_);
  if (!conn) {
    lock.lock();
    --open_;
    --in_use_;
    pool_cv_.notify_one();
    return conn.error();
  }
  return Lease{*this, std::move(*conn)};
}

void PostgresStore::checkin(std::unique_ptr<PgConnection> conn) {
  if (!conn->broken() && !conn->idle()) (void)conn->exec("ROLLBACK");
  // A connection the server dropped is reset here; one that cannot be is closed, and the next
  // checkout opens a new one.
  const bool usable = conn->broken() ? conn->reset() : conn->idle();
  {
    std::lock_guard lock{pool_mutex_};
    --in_use_;
    if (usable) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  pool_cv_.notify_one();
}

Status PostgresStore::transact(bool write, const std::function<Status(PgTx&)>& fn) {
  int races = 0;
  int reconnects = 0;
  for (;;) {
    bool commit_sent = false;
    bool broken = false;
    std::string sqlstate;
    Status st;
    {
      auto conn = checkout();
      if (!conn) return conn.error();
      auto& c = **conn;
      c.clear_failure();
      st = run_transaction(c, write, fn, commit_sent);
      broken = c.broken();
      sqlstate = c.first_failure();
    }
    if (write) {
      std::lock_guard lock{pool_mutex_};
      ++commits_;
    }
    if (st) return st;
    if (broken) {
      if (write && commit_sent) {
        return core::make_error(core::Errc::unavailable,
                                "postgres: connection lost during COMMIT; the outcome is unknown",
                                {{"sqlstate", std::string{"08007"}}});
      }
      // Nothing was committed: run it again on another (or the reset) connection.
      if (++reconnects <= settings_.pool_size) continue;
      return st;
    }
    if (lost_race(sqlstate) && ++races < settings_.max_attempts) {
      back_off(races);
      continue;
    }
    return st;
  }
}

Status PostgresStore::read(const std::function<Status(Reader&)>& fn) {
  return transact(false, [&fn](PgTx& tx) { return fn(tx); });
}

Status PostgresStore::write(const std::function<Status(Writer&)>& fn) {
  {
    std::lock_guard lock{pool_mutex_};
    ++write_jobs_;
  }
  return transact(true, [&fn](PgTx& tx) { return fn(tx); });
}

Status PostgresStore::ping() {
  for (int attempt = 0;; ++attempt) {
    Status st;
    bool broken = false;
    {
      auto conn = checkout();
      if (!conn) return conn.error();
      st = done((*conn)->exec("SELECT 1"));
      broken = (*conn)->broken();
    }
    // A connection the server dropped says nothing about the server: ask on a fresh one.
    if (st || !broken || attempt >= settings_.pool_size) return st;
  }
}

Result<int> PostgresStore::migrate() {
  auto leased = checkout();
  if (!leased) return leased.error();
  auto& conn = **leased;  // back in the pool when leased goes
  // One transaction per migration, each under the lock: a second process waits, then finds
  // the migration applied.
  auto locked = [&](const std::function<Status()>& body) -> Status {
    conn.clear_failure();
    if (auto b = conn.exec("BEGIN"); !b) return b.error();
    Status st = done(conn.exec(k_lock_migrations));
    if (st) st = body();
    if (st) st = done(conn.exec("COMMIT"));
    if (!st && !conn.broken()) (void)conn.exec("ROLLBACK");
    return st;
  };
  int applied = 0;
  Status st = locked([&] { return done(conn.exec(k_create_schema_migrations)); });
  const auto& roles = settings_.roles;
  for (const auto& [role, m] : postgres_migrations()) {
    if (!st) break;
    if (!roles.empty() && std::find(roles.begin(), roles.end(), role) == roles.end()) continue;
    bool ran = false;
    st = locked([&, role = role, m = m]() -> Status {
      auto seen = conn.exec(k_select_migration, Params{role, m.version});
      if (!seen) return seen.error();
      if (!seen->empty()) return {};
      if (auto e = conn.exec(std::string{m.sql}); !e) {
        auto err = e.error();
        err.message =
            "migration " + std::string{role} + "/" + std::string{m.name} + ": " + err.message;
        return err;
      }
      ran = true;
      return done(conn.exec(k_insert_migration, Params{role, m.version, m.name, core::now()}));
    });
    if (st && ran) ++applied;
  }
  if (!st) return st.error();
  return applied;
}

PoolStats PostgresStore::pool_stats() const {
  std::lock_guard lock{pool_mutex_};
  PoolStats s;
  s.size = open_;
  s.in_use = in_use_;
  s.waits = waits_;
  s.commits = commits_;
  s.write_jobs = write_jobs_;
  return s;
}

}  // namespace tickler::store::postgres
