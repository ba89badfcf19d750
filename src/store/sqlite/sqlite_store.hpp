#pragma once
// Store on one SQLite file in WAL mode: one writer connection (writes are serialized, as SQLite
// serializes them anyway, and committed in groups) and a pool of read connections that read
// concurrently with it.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace tickler::store::sqlite {

struct SqliteSettings {
  std::string path;          // the database file
  int read_connections = 4;  // size of the read pool
  // WAL size (pages) that wakes the background checkpointer before its next tick.
  int checkpoint_pages = 4000;
  std::chrono::milliseconds checkpoint_interval{1000};
};

class SqliteStore final : public Store {
 public:
  // Opens the file; does not migrate (call migrate()).
  static core::Result<std::unique_ptr<SqliteStore>> open(SqliteSettings settings);

  Status read(const std::function<Status(Reader&)>& fn) override;
  Status write(const std::function<Status(Writer&)>& fn) override;
  Result<int> migrate() override;
  Status ping() override;
  [[nodiscard]] PoolStats pool_stats() const override;

 private:
  explicit SqliteStore(SqliteSettings settings) : settings_(std::move(settings)) {}
  void checkpoint_loop(std::stop_token stop);
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int pages);
  struct WriteJob {
    const std::function<Status(Writer&)>* fn;
    std::optional<Status> result;
  };
  std::unique_ptr<Connection> checkout();
  void checkin(std::unique_ptr<Connection> conn);
  // Runs jobs in one transaction, each inside its own savepoint; returns their results.
  std::vector<Status> commit_group(const std::vector<WriteJob*>& jobs);

  SqliteSettings settings_;
  std::mutex write_mutex_;  // guards writer_
  std::unique_ptr<Connection> writer_;

  // Group commit: concurrent writes queue up; one caller at a time (the leader) commits all
  // queued jobs in one transaction, so N concurrent writers pay for one commit, not N.
  mutable std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::vector<WriteJob*> queue_;
  bool leader_active_ = false;
  std::uint64_t commits_ = 0;     // guarded by queue_mutex_
  std::uint64_t write_jobs_ = 0;  // guarded by queue_mutex_

  // Checkpoints run on their own connection and thread, so no write pays for copying the WAL
  // back into the database (and its fsyncs); commits only nudge it when the WAL grows.
  std::unique_ptr<Connection> checkpointer_;
  std::mutex checkpoint_mutex_;
  std::condition_variable_any checkpoint_cv_;
  bool checkpoint_due_ = false;
  std::jthread checkpoint_thread_;  // last member: stops and joins first

  mutable std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int in_use_ = 0;
  std::uint64_t waits_ = 0;
};

}  // namespace tickler::store::sqlite
