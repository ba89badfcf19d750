#pragma once
// Store on one SQLite file in WAL mode: one writer connection (writes are serialized, as SQLite
// serializes them anyway, and committed in groups) and a pool of read connections that read
// concurrently with it.
#include <atomic>
#include <chrono>
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
  // The WAL's bound under a writer that never pauses (sqlite_wal.cpp): past this size the
  // checkpointer starts it over, holding writes back for a moment, and a WAL file started over
  // shrinks back to this size (journal_size_limit).
  std::int64_t wal_reset_bytes = 64 * 1024 * 1024;
  // How long a reset may wait for readers still on the old WAL (writes wait as long), before it
  // gives up until the next checkpoint.
  std::chrono::milliseconds wal_reset_wait{40};
  // Past this size the checkpointer has fallen behind the writer (a starved machine): each commit
  // first waits, up to wal_limit_wait, for a reset.
  std::int64_t wal_limit_bytes = 256 * 1024 * 1024;
  std::chrono::milliseconds wal_limit_wait{100};
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
  [[nodiscard]] std::optional<WalStats> wal_stats() const override;

 private:
  explicit SqliteStore(SqliteSettings settings) : settings_(std::move(settings)) {}
  // The WAL policy (sqlite_wal.cpp).
  Status init_wal();
  void checkpoint_loop(std::stop_token stop);
  void reset_wal();
  void wait_for_wal_reset();
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int pages);
  static int busy_until_deadline(void* self, int attempts);
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
  std::condition_variable_any reset_cv_;  // a reset done: the WAL below the limit again
  int reset_frames_ = 0;                  // wal_reset_bytes in frames (pages)
  int limit_frames_ = 0;                  // wal_limit_bytes in frames
  std::atomic<int> wal_frames_{0};        // frames in the WAL after the last commit
  std::chrono::steady_clock::time_point busy_deadline_;  // the checkpointer's busy handler
  std::chrono::steady_clock::time_point next_reset_;     // no reset before (after a busy one)
  std::atomic<std::uint64_t> wal_resets_{0};
  std::atomic<std::uint64_t> wal_reset_busy_{0};
  std::atomic<std::int64_t> longest_hold_us_{0};
  std::jthread checkpoint_thread_;  // last member: stops and joins first

  mutable std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int in_use_ = 0;
  std::uint64_t waits_ = 0;
};

}  // namespace tickler::store::sqlite
