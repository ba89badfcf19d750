#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>

#include "store/migrations.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

// Runs fn inside BEGIN … COMMIT on conn, rolling back when fn or the commit fails.
template <class Tx, class Fn>
Status in_transaction(Connection& conn, const char* begin, const Fn& fn) {
  if (auto st = conn.exec(begin); !st) return st;
  Tx tx{conn};
  Status st = fn(tx);
  if (st) st = conn.exec("COMMIT");
  if (!st) (void)conn.exec("ROLLBACK");
  return st;
}

}  // namespace

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::open(SqliteSettings settings) {
  std::unique_ptr<SqliteStore> store{new SqliteStore(std::move(settings))};
  auto writer = Connection::open(store->settings_.path, false);
  if (!writer) return writer.error();
  store->writer_ = std::move(*writer);
  auto checkpointer = Connection::open(store->settings_.path, false);
  if (!checkpointer) return checkpointer.error();
  store->checkpointer_ = std::move(*checkpointer);
  if (auto st = store->init_wal(); !st) return st.error();
  for (int i = 0; i < store->settings_.read_connections; ++i) {
    auto reader = Connection::open(store->settings_.path, true);
    if (!reader) return reader.error();
    store->idle_.push_back(std::move(*reader));
  }
  return store;
}

std::unique_ptr<Connection> SqliteStore::checkout() {
  std::unique_lock lock{pool_mutex_};
  if (idle_.empty()) {
    ++waits_;
    pool_cv_.wait(lock, [this] { return !idle_.empty(); });
  }
  auto conn = std::move(idle_.back());
  idle_.pop_back();
  ++in_use_;
  return conn;
}

void SqliteStore::checkin(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock{pool_mutex_};
    idle_.push_back(std::move(conn));
    --in_use_;
  }
  pool_cv_.notify_one();
}

Status SqliteStore::read(const std::function<Status(Reader&)>& fn) {
  auto conn = checkout();
  // A deferred transaction gives every statement of fn the same snapshot.
  Status st = in_transaction<SqliteTx>(*conn, "BEGIN", [&](SqliteTx& tx) { return fn(tx); });
  checkin(std::move(conn));
  return st;
}

Status SqliteStore::write(const std::function<Status(Writer&)>& fn) {
  WriteJob job{&fn, std::nullopt};
  std::unique_lock lock{queue_mutex_};
  queue_.push_back(&job);
  while (!job.result) {
    if (leader_active_) {
      queue_cv_.wait(lock);
      continue;
    }
    leader_active_ = true;
    if (wal_frames_ >= limit_frames_) {  // the checkpointer fell behind: let it catch up
      lock.unlock();
      wait_for_wal_reset();
      lock.lock();
    }
    std::vector<WriteJob*> batch;
    batch.swap(queue_);
    lock.unlock();
    auto results = commit_group(batch);
    lock.lock();
    ++commits_;
    write_jobs_ += batch.size();
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(results[i]);
    leader_active_ = false;
    queue_cv_.notify_all();
  }
  return std::move(*job.result);
}

std::vector<Status> SqliteStore::commit_group(const std::vector<WriteJob*>& jobs) {
  std::lock_guard lock{write_mutex_};
  auto& conn = *writer_;
  std::vector<Status> results(jobs.size());
  auto fail_all = [&](const core::Error& e) {
    (void)conn.exec("ROLLBACK");
    std::fill(results.begin(), results.end(), Status{e});
    return results;
  };
  if (auto st = conn.exec("BEGIN IMMEDIATE"); !st) {
    std::fill(results.begin(), results.end(), st);
    return results;
  }
  SqliteTx tx{conn};
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    // A failing job rolls back to its savepoint and leaves the others of the group untouched.
    if (auto st = conn.exec("SAVEPOINT job"); !st) return fail_all(st.error());
    results[i] = (*jobs[i]->fn)(tx);
    if (!results[i]) {
      if (auto st = conn.exec("ROLLBACK TO job"); !st) return fail_all(st.error());
    }
    if (auto st = conn.exec("RELEASE job"); !st) return fail_all(st.error());
  }
  if (auto st = conn.exec("COMMIT"); !st) return fail_all(st.error());
  return results;
}

Result<int> SqliteStore::migrate() {
  std::lock_guard lock{write_mutex_};
  auto& conn = *writer_;
  if (auto st = conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                          "KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      !st) {
    return st.error();
  }
  int applied = 0;
  for (const auto& m : sqlite_migrations()) {
    Status st = in_transaction<SqliteTx>(conn, "BEGIN IMMEDIATE", [&](SqliteTx&) -> Status {
      auto q = conn.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
      if (!q) return q.error();
      q->bind(1, std::int64_t{m.version});
      auto seen = q->step();
      if (!seen) return seen.error();
      if (*seen) return {};
      if (auto e = conn.exec(std::string{m.sql}); !e) {
        auto err = e.error();
        err.message = "migration " + std::string{m.name} + ": " + err.message;
        return err;
      }
      auto ins = conn.prepare(
          "INSERT INTO schema_migrations (version, name, applied_at) "
          "VALUES (?, ?, ?)");
      if (!ins) return ins.error();
      ins->bind(1, std::int64_t{m.version}).bind(2, m.name).bind(3, core::to_millis(core::now()));
      ++applied;
      return ins->run();
    });
    if (!st) return st.error();
  }
  return applied;
}

Status SqliteStore::ping() {
  auto conn = checkout();
  Status st = [&]() -> Status {
    auto q = conn->prepare("SELECT count(*) FROM schema_migrations");
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    return {};
  }();
  checkin(std::move(conn));
  return st;
}

PoolStats SqliteStore::pool_stats() const {
  PoolStats s;
  {
    std::lock_guard lock{pool_mutex_};
    s.size = static_cast<int>(idle_.size()) + in_use_ + 1;
    s.in_use = in_use_;
    s.waits = waits_;
  }
  std::lock_guard lock{queue_mutex_};
  s.commits = commits_;
  s.write_jobs = write_jobs_;
  return s;
}

}  // namespace tickler::store::sqlite
