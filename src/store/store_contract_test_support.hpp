#pragma once
// The fixture of the Store contract (store_contract*.test.cpp): every test runs against every
// engine, SQLite and PostgreSQL (the latter needs TICKLER_TEST_PG_URL, a database in which the
// test may create schemas; each test gets its own, and skips without it).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <set>

#include "core/validation.hpp"
#include "store/postgres/pg_test_support.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tickler::store::contract {

using core::from_millis;

enum class Engine { sqlite, postgres };

inline std::string engine_name(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::sqlite ? "sqlite" : "postgres";
}

// The name gtest looks for, so test names show the engine rather than its bytes.
inline void PrintTo(Engine engine, std::ostream* os) {  // NOLINT(readability-identifier-naming)
  *os << (engine == Engine::sqlite ? "sqlite" : "postgres");
}

class StoreContract : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Engine::postgres) {
      const auto url = postgres::TestSchema::url();
      if (!url) GTEST_SKIP() << "TICKLER_TEST_PG_URL not set";
      schema_ = std::make_unique<postgres::TestSchema>(*url);
      auto s = postgres::PostgresStore::open(schema_->settings());
      ASSERT_TRUE(s) << s.error().message;
      store_ = std::move(*s);
    } else {
      const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
      dir_ =
          std::filesystem::temp_directory_path() /
          ("tickler-contract-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
           "-" + std::to_string(std::hash<std::string>{}(test->name())));
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      auto s = sqlite::SqliteStore::open({(dir_ / "t.db").string(), 2});
      ASSERT_TRUE(s) << s.error().message;
      store_ = std::move(*s);
    }
    auto applied = store_->migrate();
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_GT(*applied, 0);
    alice_ = add_user("alice@example.com");
    bob_ = add_user("bob@example.com");
  }
  void TearDown() override {
    store_.reset();
    schema_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  core::UserId add_user(const std::string& email) {
    auto u = store_->write_value([&](Writer& w) {
      return w.insert_user({0, email, "", "hash", core::now()});
    });
    EXPECT_TRUE(u) << u.error().message;
    return u ? u->id : 0;
  }

  core::Task add_task(core::UserId user, std::string title, std::vector<std::string> tags = {},
                      std::optional<std::int64_t> due_ms = {}, std::int64_t created_ms = 0,
                      const std::function<void(core::Task&)>& edit = {}) {
    core::TaskDraft d;
    d.title = std::move(title);
    d.tags = std::move(tags);
    if (due_ms) d.due_at = from_millis(*due_ms);
    EXPECT_TRUE(core::validate(d));
    auto task = core::make_task(user, d, from_millis(created_ms));
    if (edit) edit(task);
    auto t = store_->write_value([&](Writer& w) { return w.insert_task(task); });
    EXPECT_TRUE(t) << t.error().message;
    return t ? *t : core::Task{};
  }

  std::vector<core::TaskId> all_pages(core::TaskQuery q,
                                      const std::function<void()>& between = {}) {
    std::vector<core::TaskId> ids;
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = store_->read_value([&](Reader& r) { return r.tasks(q); });
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& t : page->items) ids.push_back(t.id);
      if (!page->next) break;
      q.after = page->next;
      if (between) between();
    }
    return ids;
  }

  std::set<core::TaskId> search(std::vector<std::string> words) {
    core::TaskQuery q;
    q.user_id = alice_;
    q.words = std::move(words);
    auto ids = all_pages(q);
    return {ids.begin(), ids.end()};
  }

  std::unique_ptr<postgres::TestSchema> schema_;
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  core::UserId alice_ = 0;
  core::UserId bob_ = 0;
};

}  // namespace tickler::store::contract
