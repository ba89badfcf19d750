// The SQLite store's search partition and its listing plans: every plan gives the same pages.
#include "store/sqlite/search_index.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/validation.hpp"
#include "store/migrations.hpp"
#include "store/row_codec.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_test_support.hpp"
#include "store/sqlite/task_query_sql.hpp"

namespace tickler::store::sqlite {
namespace {

core::Task insert(SqliteStore& store, core::UserId user, core::TaskDraft d, std::int64_t ms) {
  EXPECT_TRUE(core::validate(d));
  auto t = store.write_value(
      [&](Writer& w) { return w.insert_task(core::make_task(user, d, core::from_millis(ms))); });
  EXPECT_TRUE(t) << t.error().message;
  return t ? *t : core::Task{};
}

core::UserId add_user(SqliteStore& store, const std::string& email) {
  auto u = store.write_value([&](Writer& w) {
    return w.insert_user({0, email, "", "hash", core::now()});
  });
  EXPECT_TRUE(u);
  return u ? u->id : 0;
}

// Every page of a listing, run with the statement build_task_query makes for this plan.
std::vector<core::TaskId> pages(Connection& conn, core::TaskQuery q, const ListingPlan& plan) {
  std::vector<core::TaskId> ids;
  for (int guard = 0; guard < 1000; ++guard) {
    const auto built = build_task_query(q, plan);
    auto s = conn.prepare(built.sql);
    EXPECT_TRUE(s) << built.sql;
    if (!s) return ids;
    int i = 1;
    for (const auto& p : built.params) std::visit([&](const auto& v) { s->bind(i++, v); }, p);
    std::vector<core::Task> page;
    for (;;) {
      auto row = s->step();
      EXPECT_TRUE(row);
      if (!row || !*row) break;
      page.push_back(store::read_task(*s, split_words));
    }
    const bool more = page.size() > static_cast<std::size_t>(q.limit);
    if (more) page.pop_back();
    for (const auto& t : page) ids.push_back(t.id);
    if (!more) break;
    q.after = core::keyset_of(page.back(), q.sort);
  }
  return ids;
}

class SearchIndexTest : public ::testing::Test {
 protected:
  ScratchSqlite db_{"tickler-search"};
};

TEST_F(SearchIndexTest, EachUsersTokensAreKeyedByTheUser) {
  const auto a = add_user(*db_.store, "a@example.com");
  const auto b = add_user(*db_.store, "b@example.com");
  core::TaskDraft d;
  d.title = "Pay Rent";
  d.description = "café";
  d.tags = {"home"};
  insert(*db_.store, a, d, 1);
  d.title = "rent car";
  insert(*db_.store, b, d, 2);

  auto conn = Connection::open((db_.dir / "t.db").string(), false);
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->exec("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, tasks_fts, row)"));
  auto s = (*conn)->prepare("SELECT term FROM temp.v ORDER BY term");
  ASSERT_TRUE(s);
  std::set<std::string> terms;
  for (auto row = s->step(); row && *row; row = s->step()) terms.insert(s->text(0));
  const auto key = [](core::UserId u) {
    const auto digits = std::to_string(u);
    return std::string(10 - digits.size(), '0') + digits + ":";
  };
  const auto ka = key(a);
  const auto kb = key(b);
  EXPECT_EQ(terms, (std::set<std::string>{ka + "cafe", ka + "home", ka + "pay", ka + "rent",
                                          kb + "cafe", kb + "car", kb + "home", kb + "rent"}));

  // A word cannot name another user's partition: the key is the store's, the word stays text.
  core::TaskQuery q;
  q.user_id = a;
  q.words = {std::to_string(b) + "\x1f" + "car"};
  auto page = db_.store->read_value([&](Reader& r) { return r.tasks(q); });
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->items.empty());
}

TEST_F(SearchIndexTest, EveryPlanGivesTheSamePagesInTheSameOrder) {
  const auto user = add_user(*db_.store, "a@example.com");
  const auto other = add_user(*db_.store, "b@example.com");
  const char* words[] = {"rent", "dentist", "renew", "report", "garden", "e-mail"};
  const char* tags[] = {"home", "work", "errand"};
  for (int i = 0; i < 240; ++i) {
    core::TaskDraft d;
    d.title = std::string{words[i % 6]} + " " + words[(i / 6) % 6] + " " + std::to_string(i % 7);
    d.description = i % 5 == 0 ? "Café au lait" : "";
    d.priority = static_cast<core::Priority>(i % 4);
    d.tags = {tags[i % 3]};
    if (i % 4 == 0) d.tags.emplace_back(tags[(i + 1) % 3]);
    if (i % 3 != 0) d.due_at = core::from_millis(1'700'000'000'000 + (i % 11) * 3'600'000);
    auto t = insert(*db_.store, user, d, 1'000 + i % 13);  // ties in created_at and due
    if (i % 9 == 0) {
      ASSERT_TRUE(db_.store->write([&](Writer& w) -> core::Status {
        t.status = core::TaskStatus::completed;
        return w.update_task(t);
      }));
    }
    insert(*db_.store, other, d, 1'000 + i);  // the same words, another user
  }
  auto conn = Connection::open((db_.dir / "t.db").string(), true);
  ASSERT_TRUE(conn);

  const ListingPlan walk{};
  int compared = 0;
  for (auto sort : {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                    core::SortKey::created}) {
    for (auto order : {core::SortOrder::asc, core::SortOrder::desc}) {
      for (int shape = 0; shape < 5; ++shape) {
        core::TaskQuery q;
        q.user_id = user;
        q.sort = sort;
        q.order = order;
        q.limit = 7;
        if (shape == 0) q.words = {"ren"};
        if (shape == 1) q.words = {"rent", "de"};
        if (shape == 2) q.words = {"e-ma", "CAFE"};
        if (shape >= 1) q.tags = {"home"};
        if (shape == 3) q.tags = {"home", "work"};
        if (shape >= 2)
          q.priorities = {core::Priority::high, core::Priority::low, core::Priority::none};
        if (shape == 4) q.status = core::TaskStatus::pending;
        const auto expected = pages(**conn, q, walk);
        ASSERT_FALSE(expected.empty()) << "shape " << shape << ", sort " << static_cast<int>(sort);
        // The search's hits as a set (tickler_in), another set driving or the walk.
        std::vector<std::int64_t> ids;
        const std::vector<std::int64_t>* hits = nullptr;
        if (!q.words.empty()) {
          EXPECT_EQ(pages(**conn, q, {.from = {Driver::text, 0}}), expected)
              << "text, shape " << shape;
          const auto built = build_search_hits_query(q, 10'000);
          auto s = (*conn)->prepare(built.sql);
          ASSERT_TRUE(s);
          s->bind(1, std::get<std::string>(built.params[0]));
          for (auto row = s->step(); row && *row; row = s->step()) ids.push_back(s->int64(0));
          ASSERT_FALSE(ids.empty());
          hits = &ids;
          EXPECT_EQ(pages(**conn, q, {.hits = hits}), expected) << "walk, hits as a set";
        }
        for (std::size_t t = 0; t < q.tags.size(); ++t) {
          EXPECT_EQ(pages(**conn, q, {.from = {Driver::tag, t}, .hits = hits}), expected)
              << "tag " << t << ", shape " << shape;
        }
        if (!q.priorities.empty()) {
          EXPECT_EQ(pages(**conn, q, {.from = {Driver::priority, 0}, .hits = hits}), expected)
              << "priority, shape " << shape;
        }
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 40);
}

// A database searched before the partition (migration 0007) is searched the same after it.
TEST(SearchIndexMigration, TasksIndexedBeforeArePartitioned) {
  ScratchSqlite scratch{"tickler-search-migration"};
  const auto path = (scratch.dir / "old.db").string();
  {
    auto conn = Connection::open(path, false);
    ASSERT_TRUE(conn);
    ASSERT_TRUE(
        (*conn)->exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                      "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
    for (const auto& m : sqlite_migrations()) {
      if (m.version >= 7) break;
      ASSERT_TRUE((*conn)->exec(std::string{m.sql})) << m.name;
      ASSERT_TRUE((*conn)->exec("INSERT INTO schema_migrations VALUES (" +
                                std::to_string(m.version) + ", 'old', 0)"));
    }
    ASSERT_TRUE((*conn)->exec(
        "INSERT INTO users (id, email, password_hash, created_at) VALUES (1, 'a@x', 'h', 0), "
        "(2, 'b@x', 'h', 0);"
        "INSERT INTO tasks (id, user_id, title, description, status, priority, tags, created_at, "
        "updated_at) VALUES (1, 1, 'Pay rent', '', 0, 0, 'home', 1, 1), "
        "(2, 2, 'rent a car', '', 0, 0, '', 2, 2), (3, 1, 'dentist', 'renew', 0, 0, '', 3, 3);"));
  }
  auto opened = SqliteStore::open({path, 1});
  ASSERT_TRUE(opened);
  auto store = std::move(*opened);
  ASSERT_TRUE(store->migrate());
  core::TaskQuery q;
  q.user_id = 1;
  q.words = {"ren"};
  q.sort = core::SortKey::created;
  q.order = core::SortOrder::asc;
  auto page = store->read_value([&](Reader& r) { return r.tasks(q); });
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, 1);
  EXPECT_EQ(page->items[1].id, 3);
  // Changes after the migration keep the index in step (the triggers delete what they indexed).
  ASSERT_TRUE(store->write([&](Writer& w) -> core::Status {
    auto t = w.task(1, 1);
    if (!t) return t.error();
    t->title = "Pay the landlord";
    return w.update_task(*t);
  }));
  page = store->read_value([&](Reader& r) { return r.tasks(q); });
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, 3);
}

}  // namespace
}  // namespace tickler::store::sqlite
