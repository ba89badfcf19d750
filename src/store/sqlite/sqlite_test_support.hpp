#pragma once
// For unit tests that need a real store: a migrated SQLite store in a directory of its own under
// the system's temp directory (named for the test and the process, so tests run side by side),
// removed with it. Declare it before the members that use the store, so it outlives them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/sqlite/sqlite_store.hpp"

namespace tickler::store::sqlite {

struct ScratchSqlite {
  explicit ScratchSqlite(const std::string& prefix, int readers = 2)
      : dir(std::filesystem::temp_directory_path() /
            (prefix + "-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto opened = SqliteStore::open({(dir / "t.db").string(), readers});
    if (!opened) throw std::runtime_error("opening the test store: " + opened.error().message);
    store = std::move(*opened);
    if (auto applied = store->migrate(); !applied) {
      throw std::runtime_error("migrating the test store: " + applied.error().message);
    }
  }
  ScratchSqlite(const ScratchSqlite&) = delete;
  ScratchSqlite& operator=(const ScratchSqlite&) = delete;
  ~ScratchSqlite() {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  std::filesystem::path dir;
  std::unique_ptr<SqliteStore> store;
};

}  // namespace tickler::store::sqlite
