#pragma once
// For the listing tests (task_listing, task_words, priority_walk): a migrated store in a fresh
// schema (pg_test_support.hpp) with two users, alice and bob, a connection of that schema to run
// list_tasks on, and every page of a query. Skips when TICKLER_TEST_PG_URL is not set.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/postgres/pg_test_support.hpp"
#include "store/postgres/task_listing.hpp"

namespace tickler::store::postgres {

class PgListingFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto url = TestSchema::url();
    if (!url) GTEST_SKIP() << "TICKLER_TEST_PG_URL not set";
    schema_ = std::make_unique<TestSchema>(*url);
    auto s = PostgresStore::open(schema_->settings());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    ASSERT_TRUE(store_->migrate());
    alice_ = add_user("alice@example.com");
    bob_ = add_user("bob@example.com");
    conn_ = schema_->connect();
  }

  core::UserId add_user(const std::string& email) {
    auto u = store_->write_value([&](Writer& w) {
      return w.insert_user({0, email, "", "hash", core::now()});
    });
    EXPECT_TRUE(u);
    return u ? u->id : 0;
  }

  // Every page of q under the limits, the ids in order (at most 1,000 pages).
  std::vector<core::TaskId> all_pages(core::TaskQuery q, const ListingLimits& limits) {
    std::vector<core::TaskId> ids;
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = list_tasks(*conn_, q, limits);
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& t : page->items) ids.push_back(t.id);
      if (!page->next) break;
      q.after = page->next;
    }
    return ids;
  }

  std::unique_ptr<TestSchema> schema_;
  std::unique_ptr<PostgresStore> store_;
  std::unique_ptr<PgConnection> conn_;
  core::UserId alice_ = 0;
  core::UserId bob_ = 0;
};

}  // namespace tickler::store::postgres
