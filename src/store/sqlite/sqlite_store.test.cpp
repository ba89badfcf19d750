// SQLite-only behaviour; what every engine does is in store/store_contract.test.cpp.
#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/validation.hpp"
#include "store/sqlite/search_index.hpp"
#include "store/sqlite/sqlite_tx.hpp"
#include "store/sqlite/task_query_sql.hpp"

namespace tickler::store::sqlite {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tickler-store-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = SqliteStore::open({(dir_ / "t.db").string(), 2});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    auto applied = store_->migrate();
    ASSERT_TRUE(applied) << applied.error().message;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, EverySortWalksAnIndexWithoutSorting) {
  for (auto sort : {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                    core::SortKey::created}) {
    for (bool filtered : {false, true}) {
      core::TaskQuery q;
      q.user_id = 1;
      q.sort = sort;
      q.order = core::default_order(sort);
      q.after = core::Keyset{sort == core::SortKey::title ? core::Keyset{std::string{"m"}, 5}.key
                                                          : core::Keyset{std::int64_t{5}, 5}.key,
                             5};
      if (filtered) {
        q.status = core::TaskStatus::pending;
        q.priorities = {core::Priority::high};
        q.tags = {"home"};
        q.words = {"rent"};
        q.due_before = core::from_millis(2'000'000'000'000);
      }
      const auto built = build_task_query(q);
      sqlite3* db = nullptr;
      ASSERT_EQ(
          sqlite3_open_v2((dir_ / "t.db").string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
          SQLITE_OK);
      ASSERT_TRUE(register_search(db));
      sqlite3_stmt* stmt = nullptr;
      const std::string sql = "EXPLAIN QUERY PLAN " + built.sql;
      ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
          << sqlite3_errmsg(db);
      std::string details;
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        details += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
        details += "\n";
      }
      sqlite3_finalize(stmt);
      sqlite3_close(db);
      EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;
      EXPECT_NE(details.find("USING INDEX tasks_by_"), std::string::npos) << details;
    }
  }
}

// The dispatch's read of due queue heads walks deliveries_due_heads in order, for one kind: its
// cost is the heads it returns (plus the claimed ones it passes), never the backlog.
TEST_F(SqliteStoreTest, DueDeliveryHeadsWalkTheIndexOfHeadsWithoutSorting) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ / "t.db").string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  const std::string sql = "EXPLAIN QUERY PLAN " + due_delivery_heads_sql();
  ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  std::string details;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    details += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
    details += "\n";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_NE(details.find("USING INDEX deliveries_due_heads (<expr>=? AND next_attempt"),
            std::string::npos)
      << details;
  EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;
}

// The statements a walk-first listing adds read their index in order, never sort: the key of a
// run's last entry is read from the sort index (or, in created order, a tag's entries) alone,
// and a walk along a tag reads that tag's entries in created order, testing priority and status
// on them.
TEST_F(SqliteStoreTest, WalksAlongATagAndRunEndsReadTheirIndexWithoutSorting) {
  const auto plan_of = [&](const BuiltQuery& built) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2((dir_ / "t.db").string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    EXPECT_TRUE(register_search(db));
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "EXPLAIN QUERY PLAN " + built.sql;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    std::string details;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      details += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
      details += "\n";
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return details;
  };
  const char* keys[] = {"due", "priority", "title", "created"};
  int k = 0;
  for (auto sort : {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                    core::SortKey::created}) {
    const std::string key = keys[k++];
    core::TaskQuery q;
    q.user_id = 1;
    q.sort = sort;
    q.order = core::default_order(sort);
    q.after = core::Keyset{sort == core::SortKey::title ? core::Keyset{std::string{"m"}, 5}.key
                                                        : core::Keyset{std::int64_t{5}, 5}.key,
                           5};
    q.status = core::TaskStatus::pending;
    q.priorities = {core::Priority::high, core::Priority::low};
    q.tags = {"home", "work"};
    q.words = {"rent"};
    for (auto order : {core::SortOrder::asc, core::SortOrder::desc}) {
      q.order = order;
      // SQLite 3.40 does not call tasks_by_due covering (due_sort is a virtual column), though
      // it reads due_sort from the index entry and never the row.
      // Past the cursor and through a run's end, the walk is a range of the index.
      const auto run = plan_of(build_task_query(q, {.through = q.after}));
      EXPECT_NE(
          run.find(sort == core::SortKey::priority ? "(user_id=? AND priority>? AND priority<?)"
                   : sort == core::SortKey::title  ? "(user_id=? AND title>? AND title<?)"
                   : sort == core::SortKey::due    ? "(user_id=? AND due_sort>? AND due_sort<?)"
                                                : "(user_id=? AND created_at>? AND created_at<?)"),
          std::string::npos)
          << run;
      const auto end = plan_of(build_walk_end_query(q, {}, 1000));
      EXPECT_EQ(end.find("TEMP B-TREE"), std::string::npos) << end;
      EXPECT_NE(end.find(sort == core::SortKey::due ? "USING INDEX tasks_by_due"
                                                    : "USING COVERING INDEX tasks_by_" + key),
                std::string::npos)
          << end;
      if (sort != core::SortKey::created) continue;
      const auto tag_end = plan_of(build_walk_end_query(q, {Driver::tag, 0}, 1000));
      EXPECT_EQ(tag_end.find("TEMP B-TREE"), std::string::npos) << tag_end;
      EXPECT_NE(tag_end.find("USING COVERING INDEX task_tags_by_created"), std::string::npos)
          << tag_end;
      const auto along_tag =
          plan_of(build_task_query(q, {.from = {Driver::tag, 1}, .through = q.after}));
      EXPECT_EQ(along_tag.find("TEMP B-TREE"), std::string::npos) << along_tag;
      EXPECT_NE(along_tag.find("SEARCH g USING COVERING INDEX task_tags_by_created"),
                std::string::npos)
          << along_tag;
    }
  }
}

// Concurrent writes share commits: each write() still commits or fails on its own.
TEST_F(SqliteStoreTest, ConcurrentWritesAreCommittedInGroups) {
  auto user = store_->write_value([&](Writer& w) {
    return w.insert_user({0, "a@example.com", "", "h", core::now()});
  });
  ASSERT_TRUE(user);
  constexpr int k_threads = 8;
  constexpr int k_writes = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < k_writes; ++i) {
        const bool doomed = (t + i) % 5 == 0;
        auto st = store_->write([&](Writer& w) -> core::Status {
          core::TaskDraft d;
          d.title = "t" + std::to_string(t) + "-" + std::to_string(i);
          auto task = w.insert_task(core::make_task(user->id, d, core::now()));
          if (!task) return task.error();
          if (doomed) return core::make_error(core::Errc::validation_failed, "doomed");
          return {};
        });
        if (!st) ++failed;
      }
    });
  }
  for (auto& th : threads) th.join();
  core::TaskQuery q;
  q.user_id = user->id;
  q.limit = 1000;
  auto page = store_->read_value([&](Reader& r) { return r.tasks(q); });
  ASSERT_TRUE(page);
  EXPECT_EQ(static_cast<int>(page->items.size()) + failed.load(), k_threads * k_writes);
  EXPECT_EQ(failed.load(), k_threads * k_writes / 5);
  const auto stats = store_->pool_stats();
  EXPECT_EQ(stats.write_jobs, static_cast<std::uint64_t>(k_threads * k_writes + 1));
  EXPECT_LE(stats.commits, stats.write_jobs);
}

}  // namespace
}  // namespace tickler::store::sqlite
