#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "core/validation.hpp"
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
    alice_ = add_user("alice@example.com");
    bob_ = add_user("bob@example.com");
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  core::UserId add_user(const std::string& email) {
    auto u = store_->write_value([&](Writer& w) {
      return w.insert_user({0, email, "", "hash", core::now()});
    });
    EXPECT_TRUE(u);
    return u->id;
  }

  core::Task add_task(core::UserId user, std::string title, std::vector<std::string> tags = {},
                      std::optional<std::int64_t> due_ms = {}, std::int64_t created_ms = 0) {
    core::TaskDraft d;
    d.title = std::move(title);
    d.tags = std::move(tags);
    if (due_ms) d.due_at = core::from_millis(*due_ms);
    EXPECT_TRUE(core::validate(d));
    auto t = store_->write_value([&](Writer& w) {
      return w.insert_task(core::make_task(user, d, core::from_millis(created_ms)));
    });
    EXPECT_TRUE(t);
    return *t;
  }

  std::vector<core::TaskId> all_pages(core::TaskQuery q,
                                      const std::function<void()>& between = {}) {
    std::vector<core::TaskId> ids;
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = store_->read_value([&](Reader& r) { return r.tasks(q); });
      EXPECT_TRUE(page);
      for (const auto& t : page->items) ids.push_back(t.id);
      if (!page->next) break;
      q.after = page->next;
      if (between) between();
    }
    return ids;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
  core::UserId alice_ = 0;
  core::UserId bob_ = 0;
};

TEST_F(SqliteStoreTest, MigrationsApplyOnce) {
  auto again = store_->migrate();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_TRUE(store_->ping());
}

TEST_F(SqliteStoreTest, DuplicateEmailIsAConflict) {
  auto dup = store_->write_value([&](Writer& w) {
    return w.insert_user({0, "alice@example.com", "", "h", core::now()});
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::Errc::conflict);
}

TEST_F(SqliteStoreTest, TasksRoundTripAndStayWithTheirOwner) {
  auto t = add_task(alice_, "Pay rent", {"home", "money"}, 1'800'000'000'000);
  auto got = store_->read_value([&](Reader& r) { return r.task(alice_, t.id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->title, "Pay rent");
  EXPECT_EQ(got->tags, (std::vector<std::string>{"home", "money"}));
  EXPECT_EQ(got->due_at, core::from_millis(1'800'000'000'000));
  auto other = store_->read_value([&](Reader& r) { return r.task(bob_, t.id); });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::Errc::not_found);
  EXPECT_FALSE(store_->write([&](Writer& w) { return w.delete_task(bob_, t.id); }));
  EXPECT_TRUE(store_->write([&](Writer& w) { return w.delete_task(alice_, t.id); }));
}

TEST_F(SqliteStoreTest, FailedWriteRollsBack) {
  auto st = store_->write([&](Writer& w) -> core::Status {
    core::TaskDraft doomed;
    doomed.title = "doomed";
    auto t = w.insert_task(core::make_task(alice_, doomed, core::now()));
    if (!t) return t.error();
    return core::make_error(core::Errc::validation_failed, "changed my mind");
  });
  ASSERT_FALSE(st);
  core::TaskQuery q;
  q.user_id = alice_;
  EXPECT_TRUE(all_pages(q).empty());
}

TEST_F(SqliteStoreTest, UpdateReplacesTagsAndSearchIndex) {
  auto t = add_task(alice_, "Pay rent", {"home"});
  t.title = "Water plants";
  t.tags = {"garden"};
  ++t.version;
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.update_task(t); }));
  core::TaskQuery q;
  q.user_id = alice_;
  q.words = {"rent"};
  EXPECT_TRUE(all_pages(q).empty());
  q.words = {"plan"};
  EXPECT_EQ(all_pages(q), std::vector<core::TaskId>{t.id});
  auto tags = store_->read_value([&](Reader& r) { return r.tag_counts(alice_); });
  ASSERT_TRUE(tags);
  ASSERT_EQ(tags->size(), 1U);
  EXPECT_EQ((*tags)[0].tag, "garden");
}

TEST_F(SqliteStoreTest, SearchTakesUserInputLiterally) {
  add_task(alice_, "Say \"hello\" AND goodbye");
  core::TaskQuery q;
  q.user_id = alice_;
  for (const char* w : {"\"", "AND", "OR", "NEAR(", "*", "hel\"lo", "-x", ":"}) {
    q.words = {w};
    auto page = store_->read_value([&](Reader& r) { return r.tasks(q); });
    EXPECT_TRUE(page) << w << ": " << (page ? "" : page.error().message);
  }
  q.words = {"HELLO", "good"};
  EXPECT_EQ(all_pages(q).size(), 1U);
}

TEST_F(SqliteStoreTest, KeysetPaginationNeitherRepeatsNorSkipsWhileInserting) {
  std::set<core::TaskId> original;
  for (int i = 0; i < 120; ++i) {
    std::optional<std::int64_t> due;
    if (i % 3) due = 1'800'000'000'000 + (i % 7) * 60'000;  // many ties, some without a date
    original.insert(add_task(alice_, "task " + std::to_string(i % 10), {}, due, i / 4).id);
  }
  for (auto sort : {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                    core::SortKey::created}) {
    for (auto order : {core::SortOrder::asc, core::SortOrder::desc}) {
      core::TaskQuery q;
      q.user_id = alice_;
      q.sort = sort;
      q.order = order;
      q.limit = 7;
      int n = 0;
      const auto ids = all_pages(q, [&] { add_task(alice_, "inserted " + std::to_string(n++)); });
      std::set<core::TaskId> seen;
      for (auto id : ids) EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
      for (auto id : original) EXPECT_TRUE(seen.contains(id)) << "skipped " << id;
    }
  }
}

TEST_F(SqliteStoreTest, EverySortWalksAnIndexWithoutSorting) {
  for (auto sort : {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                    core::SortKey::created}) {
    for (bool filtered : {false, true}) {
      core::TaskQuery q;
      q.user_id = alice_;
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

}  // namespace
}  // namespace tickler::store::sqlite
