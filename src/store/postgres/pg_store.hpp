#pragma once
// Store on PostgreSQL (libpq): a bounded pool of connections, each transaction on one of them.
// read() runs BEGIN READ ONLY at REPEATABLE READ, so every statement of fn (a listing's pages
// included) sees one snapshot. write() runs at REPEATABLE READ and, when it loses a race to a
// concurrent transaction (serialization failure 40001, deadlock 40P01), rolls back and runs fn
// again, a few times: the same effect as SQLite's one-writer-at-a-time, so fn may run more than
// once and must only act through the Writer (or overwrite what it captured). A connection the
// server dropped is reset (PQreset) or replaced, and the transaction retried on another one when
// nothing can have been committed.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_tx.hpp"
#include "store/store.hpp"

namespace tickler::store::postgres {

struct PostgresSettings {
  PostgresSettings() = default;
  // The three settings every role gives, as {url, pool_size, roles}; the rest keep defaults.
  PostgresSettings(std::string database_url, int connections = 4,
                   std::vector<std::string> migration_roles = {})
      : url(std::move(database_url)), pool_size(connections), roles(std::move(migration_roles)) {}

  std::string url;    // libpq URL or key=value string: postgresql://user@host:5432/db
  int pool_size = 4;  // connections at most, opened as needed
  // Migration folders (migrations/postgres/<role>) migrate() applies: a role's process owns its
  // tables only. Empty: all of them.
  std::vector<std::string> roles;
  std::string schema;  // search_path of every connection; empty: the server's default
  std::string application_name = "tickler";
  int connect_timeout_seconds = 5;
  int max_attempts = 10;  // runs of a write that keeps losing races before it fails (unavailable)
};

class PostgresStore final : public Store {
 public:
  // Connects once (so a bad URL fails here); does not migrate (call migrate()).
  static core::Result<std::unique_ptr<PostgresStore>> open(PostgresSettings settings);

  Status read(const std::function<Status(Reader&)>& fn) override;
  Status write(const std::function<Status(Writer&)>& fn) override;
  // Applies the settings' roles' pending migrations, each in its own transaction under an
  // advisory lock, so processes migrating at once apply each migration once.
  Result<int> migrate() override;
  Status ping() override;
  // commits counts every write transaction run, retries included: commits - write_jobs is how
  // often writes ran again (after a lost race or a lost connection).
  [[nodiscard]] PoolStats pool_stats() const override;

  // The migration folders there are.
  [[nodiscard]] static std::vector<std::string> all_roles();

 private:
  // A connection out of the pool, back in (reset or replaced if the server dropped it) when the
  // lease ends, also when fn throws.
  class Lease {
   public:
    Lease(PostgresStore& store, std::unique_ptr<PgConnection> conn)
        : store_(&store), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept : store_(o.store_), conn_(std::move(o.conn_)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) store_->checkin(std::move(conn_));
    }
    PgConnection& operator*() const { return *conn_; }
    PgConnection* operator->() const { return conn_.get(); }

   private:
    PostgresStore* store_;
    std::unique_ptr<PgConnection> conn_;
  };

  explicit PostgresStore(PostgresSettings settings);
  core::Result<Lease> checkout();
  void checkin(std::unique_ptr<PgConnection> conn);
  Status transact(bool write, const std::function<Status(PgTx&)>& fn);

  PostgresSettings settings_;
  PgConnection::Options options_;

  mutable std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // idle + in use (+ being opened)
  int in_use_ = 0;
  std::uint64_t waits_ = 0;
  std::uint64_t commits_ = 0;
  std::uint64_t write_jobs_ = 0;
};

}  // namespace tickler::store::postgres
