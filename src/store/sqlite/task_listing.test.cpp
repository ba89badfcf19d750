// The SQLite listing's plan (task_listing.hpp): every way a listing can go — answered by the
// walk's first run, a set read and sorted after the counts, the walk going on past its run, a
// walk along another tag — gives the pages of the plain walk, with the same cursors; and the
// first run answers exactly when its last entry completes the page.
#include "store/sqlite/task_listing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/validation.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/sqlite_test_support.hpp"

namespace tickler::store::sqlite {
namespace {

using core::from_millis;

ListingLimits small(std::int64_t walk_rows, std::int64_t set_cap) {
  ListingLimits limits;
  limits.walk_rows = walk_rows;
  limits.set_cap = set_cap;
  return limits;
}

class SqliteListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_ = add_user("alice@example.com");
    bob_ = add_user("bob@example.com");
    auto conn = Connection::open((db_.dir / "t.db").string(), true);
    ASSERT_TRUE(conn) << conn.error().message;
    conn_ = std::move(*conn);
  }

  core::UserId add_user(const std::string& email) {
    auto u = db_.store->write_value([&](Writer& w) {
      return w.insert_user({0, email, "", "hash", core::now()});
    });
    EXPECT_TRUE(u);
    return u ? u->id : 0;
  }

  // n varied tasks for user: titles from a few words (some rare), tags home/work/rare, every
  // priority, some due dates, ties in created_at; then some completed, some renamed,
  // reprioritised or given another due date (a tag's entries follow their task).
  std::set<core::TaskId> seed(core::UserId user, int n) {
    static const char* titles[] = {"Pay rent",      "Call mom",   "E-mail the team",
                                   "Buy milk",      "Café visit", "Pay the plumber",
                                   "Calendar sync", "Read a book"};
    std::set<core::TaskId> ids;
    EXPECT_TRUE(db_.store->write([&](Writer& w) -> core::Status {
      for (int i = 0; i < n; ++i) {
        core::TaskDraft d;
        d.title = std::string{titles[i % 8]} + " " + std::to_string(i);
        if (i % 29 == 0) d.title += " zebra";
        if (i % 2 == 0) d.tags.push_back("home");
        if (i % 3 == 0) d.tags.push_back("work");
        if (i % 31 == 0) d.tags.push_back("rare");
        if (i % 3) d.due_at = from_millis(1'800'000'000'000 + (i % 7) * 60'000);
        d.priority = static_cast<core::Priority>(i % 4);
        auto t = w.insert_task(core::make_task(user, d, from_millis(i / 3)));
        if (!t) return t.error();
        ids.insert(t->id);
        if (i % 5 == 0) t->status = core::TaskStatus::completed;
        if (i % 11 == 0) t->title = "Renamed " + std::to_string(100 - i);
        if (i % 13 == 0) t->priority = core::Priority::high;
        if (i % 17 == 0) t->due_at = i % 2 ? std::nullopt : std::optional{from_millis(i)};
        if (i % 5 == 0 || i % 11 == 0 || i % 13 == 0 || i % 17 == 0) {
          if (auto st = w.update_task(*t); !st) return st;
        }
      }
      return {};
    }));
    return ids;
  }

  // Every page of q under the limits, the ids in order.
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

  ScratchSqlite db_{"tickler-listing"};
  std::unique_ptr<Connection> conn_;
  core::UserId alice_ = 0;
  core::UserId bob_ = 0;
};

// What a traced listing did, from its statements: the walk's first run (its last key read
// from the index, then the run through it), maybe the counts, then the statement that ended it.
struct Path {
  bool walked_first = false;
  bool counted = false;          // the candidate sets were counted after the run
  bool answered_by_run = false;  // the run filled the page
  bool reached_the_end = false;  // the run held the user's last entry
  bool drove = false;            // a set was read and sorted
  bool went_on = false;          // a walk went on after the run (maybe along another tag)
  bool other_tag = false;        // that walk went along another tag than the first
};

bool ends_at_a_key(const BuiltQuery& s) {
  return s.sql.find(") <= (") != std::string::npos || s.sql.find(") >= (") != std::string::npos;
}

Path path_of(const std::vector<BuiltQuery>& trace) {
  Path p;
  const auto end = std::find_if(trace.begin(), trace.end(), [](const BuiltQuery& s) {
    return s.sql.find("LIMIT 1 OFFSET") != std::string::npos;
  });
  if (end == trace.end() || trace.empty()) return p;
  p.walked_first = true;
  const auto& last = trace.back();
  p.counted = std::any_of(end, trace.end(),
                          [](const BuiltQuery& s) { return s.sql.starts_with("SELECT 0"); });
  p.answered_by_run = ends_at_a_key(last);
  p.reached_the_end = end + 2 == trace.end() && !p.answered_by_run;
  p.drove = last.sql.find("FROM tasks_fts f") != std::string::npos ||
            last.sql.find("FROM tasks t INDEXED BY tasks_by_priority") != std::string::npos;
  p.went_on = !p.answered_by_run && !p.drove && !p.reached_the_end;
  p.other_tag = p.went_on && last.sql.find("g.tag = ?") != std::string::npos &&
                last.params.at(1) != end->params.at(1);
  return p;
}

TEST_F(SqliteListingTest, EveryPlanListsTheSamePages) {
  const auto mine = seed(alice_, 90);
  seed(bob_, 40);
  const std::vector<std::vector<std::string>> words = {
      {}, {"pay"}, {"zebra"}, {"ca"}, {"e-mail"}, {"pay", "rent"}, {"nothing"}};
  const std::vector<std::vector<std::string>> tags = {
      {}, {"home"}, {"rare"}, {"home", "work"}, {"work", "rare"}};
  const std::vector<std::vector<core::Priority>> priorities = {
      {}, {core::Priority::high}, {core::Priority::low, core::Priority::none}};
  const core::SortKey sorts[] = {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                                 core::SortKey::created};
  std::vector<BuiltQuery> trace;
  int answered_by_run = 0;
  int reached_the_end = 0;
  int drove = 0;
  int went_on = 0;
  int other_tag = 0;
  int combination = 0;
  for (const auto& w : words) {
    for (const auto& tg : tags) {
      for (const auto& pr : priorities) {
        const int c = combination++;
        core::TaskQuery q;
        q.user_id = alice_;
        q.words = w;
        q.tags = tg;
        q.priorities = pr;
        q.sort = sorts[c % 4];
        q.order = c % 3 ? core::default_order(q.sort) : core::SortOrder::asc;
        if (c % 5 == 1) q.status = core::TaskStatus::pending;
        if (c % 7 == 2) q.due_before = from_millis(1'800'000'000'000 + 3 * 60'000);
        q.limit = 1 + c % 4;
        const auto label = "combination " + std::to_string(c);

        const auto walked = all_pages(q, {.plan = DrivingSet{}});
        for (auto id : walked) EXPECT_TRUE(mine.contains(id)) << label;
        std::vector<DrivingSet> sets;
        if (!w.empty()) sets.push_back({Driver::text, 0});
        for (std::size_t i = 0; i < tg.size(); ++i) sets.push_back({Driver::tag, i});
        if (!pr.empty()) sets.push_back({Driver::priority, 0});
        for (const auto& set : sets) {
          EXPECT_EQ(all_pages(q, {.plan = set}), walked)
              << label << ", from set " << static_cast<int>(set.driver) << "/" << set.tag;
        }
        EXPECT_EQ(all_pages(q, {}), walked) << label;
        for (const auto& limits : {small(2, 3), small(3, 1000), small(12, 0), small(5, 20)}) {
          auto with_trace = limits;
          with_trace.trace = &trace;
          auto page_q = q;
          std::vector<core::TaskId> ids;
          for (int guard = 0; guard < 1000; ++guard) {
            trace.clear();
            auto page = list_tasks(*conn_, page_q, with_trace);
            ASSERT_TRUE(page) << page.error().message;
            for (const auto& t : page->items) ids.push_back(t.id);
            const auto p = path_of(trace);
            answered_by_run += p.answered_by_run;
            reached_the_end += p.reached_the_end;
            drove += p.drove;
            went_on += p.went_on;
            other_tag += p.other_tag;
            if (!page->next) break;
            page_q.after = page->next;
          }
          EXPECT_EQ(ids, walked) << label << ", walk " << limits.walk_rows << ", cap "
                                 << *limits.set_cap;
        }
      }
    }
  }
  EXPECT_EQ(combination, 105);
  // Each way a page can be found was taken many times.
  EXPECT_GT(answered_by_run, 30);
  EXPECT_GT(reached_the_end, 5);
  EXPECT_GT(drove, 50);
  EXPECT_GT(went_on, 50);
  EXPECT_GT(other_tag, 5);
}

// The first run answers when its last entry completes the page (limit + 1 hits: the page and
// the one that says more follow), and the walk goes on when the page's last hit is one entry
// past the run; the pages and cursors are those of the plain walk either way.
TEST_F(SqliteListingTest, ThePageFilledExactlyAtTheRunsLastEntryAndOnePast) {
  ASSERT_TRUE(db_.store->write([&](Writer& w) -> core::Status {
    for (int i = 0; i < 60; ++i) {
      core::TaskDraft d;
      d.title = "task " + std::to_string(i);
      d.priority = i % 3 == 2 ? core::Priority::high : core::Priority::low;  // every third
      if (i % 2 == 0) d.tags = {"home"};
      auto t = w.insert_task(core::make_task(alice_, d, from_millis(1'000 + i)));
      if (!t) return t.error();
    }
    return {};
  }));
  core::TaskQuery q;
  q.user_id = alice_;
  q.sort = core::SortKey::created;
  q.order = core::SortOrder::asc;
  q.priorities = {core::Priority::high};
  q.limit = 3;
  // High priority: the entries 3, 6, 9, 12 … of the walk; limit + 1 = 4 hits take 12 entries.
  const auto walked = all_pages(q, {.plan = DrivingSet{}});
  ASSERT_EQ(walked.size(), 20u);
  std::vector<BuiltQuery> trace;
  for (const std::int64_t run : {12, 11}) {
    ListingLimits limits = small(run, 1000);
    limits.trace = &trace;
    trace.clear();
    auto page = list_tasks(*conn_, q, limits);
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->items.size(), 3u);
    ASSERT_TRUE(page->next);
    const auto p = path_of(trace);
    if (run == 12) {
      EXPECT_TRUE(p.answered_by_run) << "the 12th entry is the 4th hit";
      EXPECT_EQ(trace.size(), 2u);  // the run's last key, the run
    } else {
      EXPECT_FALSE(p.answered_by_run) << "the run holds 3 hits, one short";
      EXPECT_TRUE(p.counted);
    }
    EXPECT_EQ(all_pages(q, limits), walked) << "run " << run;
  }
  // Along a tag: home holds the even entries; the 2nd, 5th, 8th, 11th … of them are high.
  q.tags = {"home"};
  const auto along_tag = all_pages(q, {.plan = DrivingSet{}});
  ASSERT_EQ(along_tag.size(), 10u);
  for (const std::int64_t run : {11, 10}) {
    ListingLimits limits = small(run, 0);  // no set is read: the walk goes on
    limits.trace = &trace;
    trace.clear();
    auto page = list_tasks(*conn_, q, limits);
    ASSERT_TRUE(page);
    EXPECT_EQ(path_of(trace).answered_by_run, run == 11) << "run " << run;
    EXPECT_EQ(path_of(trace).went_on, run == 10) << "run " << run;
    EXPECT_FALSE(path_of(trace).counted) << "a cap of 0: nothing is worth counting";
    EXPECT_EQ(all_pages(q, limits), along_tag) << "run " << run;
  }
}

// A run that reaches the user's last entry answers whatever it found, without counting; a
// search whose hits fit in the page reads them without walking.
TEST_F(SqliteListingTest, ARunPastTheUsersLastTaskAnswersAndFewHitsAreRead) {
  seed(alice_, 30);
  core::TaskQuery q;
  q.user_id = alice_;
  q.words = {"pay"};  // 8 of the 30
  q.limit = 2;
  std::vector<BuiltQuery> trace;
  ListingLimits limits;
  limits.trace = &trace;
  auto page = list_tasks(*conn_, q, limits);
  ASSERT_TRUE(page);
  const auto p = path_of(trace);
  EXPECT_TRUE(p.reached_the_end);
  EXPECT_FALSE(p.counted);
  EXPECT_EQ(all_pages(q, {}), all_pages(q, {.plan = DrivingSet{}}));

  q.limit = 7;  // the 8 hits fit in the page and the one past it
  trace.clear();
  page = list_tasks(*conn_, q, limits);
  ASSERT_TRUE(page);
  EXPECT_FALSE(path_of(trace).walked_first);
  EXPECT_NE(trace.back().sql.find("FROM tasks_fts f"), std::string::npos);
  EXPECT_EQ(all_pages(q, {}), all_pages(q, {.plan = DrivingSet{}}));
}

// A database whose tags were written before migration 0011 lists by tag the same after it:
// each tag row gets its task's created_at, priority and status, and later writes keep them.
TEST(TagsInCreatedOrderMigration, TagRowsWrittenBeforeAreWalkedInCreatedOrder) {
  ScratchSqlite scratch{"tickler-tags-migration"};
  const auto path = (scratch.dir / "old.db").string();
  {
    auto conn = Connection::open(path, false);
    ASSERT_TRUE(conn);
    ASSERT_TRUE(
        (*conn)->exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                      "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
    for (const auto& m : sqlite_migrations()) {
      if (m.version >= 11) break;
      ASSERT_TRUE((*conn)->exec(std::string{m.sql})) << m.name;
      ASSERT_TRUE((*conn)->exec("INSERT INTO schema_migrations VALUES (" +
                                std::to_string(m.version) + ", 'old', 0)"));
    }
    // Tasks 1–6 of user 1 (created out of id order), task 7 of user 2; the tags as 0001 kept
    // them.
    ASSERT_TRUE((*conn)->exec(
        "INSERT INTO users (id, email, password_hash, created_at) VALUES (1, 'a@x', 'h', 0), "
        "(2, 'b@x', 'h', 0);"
        "INSERT INTO tasks (id, user_id, title, description, status, priority, tags, created_at, "
        "updated_at) VALUES (1, 1, 'a', '', 0, 3, 'home', 50, 1), (2, 1, 'b', '', 1, 3, 'home', "
        "40, 1), (3, 1, 'c', '', 0, 0, 'home work', 60, 1), (4, 1, 'd', '', 0, 3, 'work', 10, 1), "
        "(5, 1, 'e', '', 0, 3, 'home', 20, 1), (6, 1, 'f', '', 0, 3, 'home', 30, 1), "
        "(7, 2, 'g', '', 0, 3, 'home', 70, 1);"
        "INSERT INTO task_tags (user_id, tag, task_id) VALUES (1, 'home', 1), (1, 'home', 2), "
        "(1, 'home', 3), (1, 'work', 3), (1, 'work', 4), (1, 'home', 5), (1, 'home', 6), "
        "(2, 'home', 7);"));
  }
  auto opened = SqliteStore::open({path, 1});
  ASSERT_TRUE(opened);
  auto store = std::move(*opened);
  ASSERT_TRUE(store->migrate());
  auto conn = Connection::open(path, true);
  ASSERT_TRUE(conn);
  core::TaskQuery q;
  q.user_id = 1;
  q.tags = {"home"};
  q.priorities = {core::Priority::high};
  q.status = core::TaskStatus::pending;
  q.limit = 2;
  const auto along_tag = [&](core::TaskQuery query) {
    std::vector<core::TaskId> ids;
    for (int guard = 0; guard < 10; ++guard) {
      auto page = list_tasks(**conn, query, {.plan = DrivingSet{Driver::tag, 0}});
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& t : page->items) ids.push_back(t.id);
      if (!page->next) break;
      query.after = page->next;
    }
    return ids;
  };
  EXPECT_EQ(along_tag(q), (std::vector<core::TaskId>{1, 6, 5}));  // newest first
  // A write after the migration moves the task's tag rows with it.
  ASSERT_TRUE(store->write([&](Writer& w) -> core::Status {
    auto t = w.task(1, 6);
    if (!t) return t.error();
    t->priority = core::Priority::low;
    return w.update_task(*t);
  }));
  EXPECT_EQ(along_tag(q), (std::vector<core::TaskId>{1, 5}));
  auto page = store->read_value([&](Reader& r) { return r.tasks(q); });
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, 1);
}

}  // namespace
}  // namespace tickler::store::sqlite
