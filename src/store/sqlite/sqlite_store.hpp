#pragma once
// Store on one SQLite file in WAL mode: one writer connection (writes are serialized, as SQLite
// serializes them anyway) and a pool of read connections that read concurrently with it.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace tickler::store::sqlite {

struct SqliteSettings {
  std::string path;          // the database file
  int read_connections = 4;  // size of the read pool
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
  std::unique_ptr<Connection> checkout();
  void checkin(std::unique_ptr<Connection> conn);

  SqliteSettings settings_;
  std::mutex write_mutex_;
  std::unique_ptr<Connection> writer_;

  mutable std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int in_use_ = 0;
  std::uint64_t waits_ = 0;
};

}  // namespace tickler::store::sqlite
