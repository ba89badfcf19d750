// Every plan of a listing gives the same pages: the walk, each driving set, and the store's own
// choice under the default limits and under limits small enough that the first run of the walk
// fails and the counts decide both ways.
#include "store/postgres/task_listing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/validation.hpp"
#include "store/postgres/pg_listing_fixture.hpp"
#include "store/postgres/search_terms.hpp"

namespace tickler::store::postgres {
namespace {

using core::from_millis;

ListingLimits small(std::int64_t walk_rows, std::int64_t set_cap) {
  ListingLimits limits;
  limits.walk_rows = walk_rows;
  limits.set_cap = set_cap;
  return limits;
}

class PgListingTest : public PgListingFixture {
 protected:
  // n varied tasks for user, in one transaction: titles from a few words (some rare), tags
  // home/work/rare, every priority, some due dates, ties in created_at, some completed.
  std::set<core::TaskId> seed(core::UserId user, int n) {
    static const char* titles[] = {"Pay rent",      "Call mom",   "E-mail the team",
                                   "Buy milk",      "Café visit", "Pay the plumber",
                                   "Calendar sync", "Read a book"};
    std::set<core::TaskId> ids;
    EXPECT_TRUE(store_->write([&](Writer& w) -> core::Status {
      for (int i = 0; i < n; ++i) {
        core::TaskDraft d;
        d.title = std::string{titles[i % 8]} + " " + std::to_string(i);
        if (i % 29 == 0) d.title += " zebra";
        if (i % 2 == 0) d.tags.push_back("home");
        if (i % 3 == 0) d.tags.push_back("work");
        if (i % 31 == 0) d.tags.push_back("rare");
        if (i % 3) d.due_at = from_millis(1'800'000'000'000 + (i % 7) * 60'000);
        auto task = core::make_task(user, d, from_millis(i / 3));
        task.priority = static_cast<core::Priority>(i % 4);
        if (i % 5 == 0) {
          task.status = core::TaskStatus::completed;
          task.completed_at = from_millis(9);
        }
        auto t = w.insert_task(task);
        if (!t) return t.error();
        ids.insert(t->id);
      }
      return {};
    }));
    return ids;
  }
};

TEST_F(PgListingTest, EveryPlanListsTheSamePages) {
  const auto mine = seed(alice_, 90);
  seed(bob_, 40);
  const std::vector<std::vector<std::string>> words = {
      {}, {"pay"}, {"zebra"}, {"ca"}, {"e-mail"}, {"pay", "rent"}, {"nothing"}};
  const std::vector<std::vector<std::string>> tags = {{}, {"home"}, {"rare"}, {"home", "work"}};
  const std::vector<std::vector<core::Priority>> priorities = {
      {}, {core::Priority::high}, {core::Priority::low, core::Priority::none}};
  const core::SortKey sorts[] = {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                                 core::SortKey::created};
  std::vector<BuiltQuery> trace;
  // Listings read from a set, and listings whose walk went on: after the counts [0], after one
  // set's capped read [1].
  int driven[2] = {0, 0};
  int continued[2] = {0, 0};
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
        EXPECT_EQ(all_pages(q, {.word_walk = false, .plan = DrivingSet{}}), walked) << label;
        if (!w.empty() && tg.empty()) {
          // A search in created order walks a token's words (the sort above never is created
          // here): with its first run in the statement that plans it, or ("ca": three words)
          // in one of its own.
          auto created = q;
          created.sort = core::SortKey::created;
          const auto by_index = all_pages(created, {.word_walk = false, .plan = DrivingSet{}});
          EXPECT_EQ(all_pages(created, {}), by_index) << label;
          EXPECT_EQ(all_pages(created, {.word_branches = 1}), by_index) << label;
          EXPECT_EQ(all_pages(created, small(2, 3)), by_index) << label;
        }
        std::vector<DrivingSet> sets;
        const auto tokens = w.empty() ? 0 : search_word_ranges(w).size();
        for (std::size_t i = 0; i < tokens; ++i) sets.push_back({Driver::text, i});
        for (std::size_t i = 0; i < tg.size(); ++i) sets.push_back({Driver::tag, i});
        if (!pr.empty()) sets.push_back({Driver::priority, 0});
        for (const auto& set : sets) {
          EXPECT_EQ(all_pages(q, {.plan = set}), walked)
              << label << ", driven by set " << static_cast<int>(set.driver) << "/" << set.tag;
        }
        EXPECT_EQ(all_pages(q, {}), walked) << label;
        for (const auto& limits : {small(1, 3), small(2, 3), small(3, 1000)}) {
          trace.clear();
          auto with_trace = limits;
          with_trace.trace = &trace;
          EXPECT_EQ(all_pages(q, with_trace), walked)
              << label << ", walk " << limits.walk_rows << ", cap " << limits.set_cap.value_or(-1);
          // What each decision (counts, or one set's capped read) led to: the set's rows, or
          // the walk going on.
          for (std::size_t i = 0; i < trace.size(); ++i) {
            // (A word walk's plan counts too, but decides no set: it has the words' arrays.)
            const bool counts = trace[i].sql.starts_with("SELECT (SELECT count(*)") &&
                                trace[i].sql.find("ARRAY") == std::string::npos;
            const bool capped = trace[i].sql.starts_with("WITH s AS MATERIALIZED");
            if (!counts && !capped) continue;
            const bool walks_on =
                i + 1 < trace.size() && trace[i + 1].sql.find(" AS walked ") != std::string::npos;
            ++(walks_on ? continued : driven)[capped ? 1 : 0];
          }
        }
      }
    }
  }
  // (A search alone is counted first, so fewer single sets take the capped read.)
  for (int kind : {0, 1}) {
    EXPECT_GT(driven[kind], 3) << kind;
    EXPECT_GT(continued[kind], 3) << kind;
  }
}

// A search's or tag's set that the statistics put far over the cap is not counted (its GIN scan
// would read the whole posting list to learn that); the walk goes on, with the same pages.
TEST_F(PgListingTest, ASetEstimatedFarOverTheCapIsNotCounted) {
  seed(alice_, 90);  // home on 45 of them
  seed(bob_, 40);
  schema_->exec("ANALYZE tasks");
  core::TaskQuery q;
  q.user_id = alice_;
  q.tags = {"home"};
  q.priorities = {core::Priority::high};
  q.limit = 2;
  const auto walked = all_pages(q, {.plan = DrivingSet{}});
  std::vector<BuiltQuery> trace;
  const auto reads_home = [&] {
    return std::count_if(trace.begin(), trace.end(), [](const BuiltQuery& s) {
      return !s.sql.starts_with("EXPLAIN") && !s.sql.starts_with("SELECT t.") &&
             s.sql.find("task_tag_keys") != std::string::npos;
    });
  };
  for (const std::int64_t over : {10, 0}) {  // 0: every set is counted
    auto limits = small(2, 3);
    // The tag's walk and its counts (else a tag with a priority walks the tag's entries of
    // that priority, and counts nothing).
    limits.priority_walk = false;
    limits.uncounted_over = over;
    limits.trace = &trace;
    trace.clear();
    EXPECT_EQ(all_pages(q, limits), walked) << over;
    const auto estimates = std::count_if(trace.begin(), trace.end(), [](const BuiltQuery& s) {
      return s.sql.starts_with("EXPLAIN SELECT FROM tasks t WHERE task_tag_keys");
    });
    if (over > 0) {
      EXPECT_GT(estimates, 0);
      EXPECT_EQ(reads_home(), 0) << "home (45 tasks) is over 10 and 4 × the cap of 3";
    } else {
      EXPECT_EQ(estimates, 0);
      EXPECT_GT(reads_home(), 0);
    }
  }
}

// Under the default limits the first run of the walk sizes the cap: a word whose first 1,000
// rows nearly filled the page walks on (counting its set would read its whole posting list for
// the few rows the page lacks), a rare word's set is read; the pages are the walk's either way.
TEST_F(PgListingTest, TheFirstRunsHitsDecideWhetherASetIsRead) {
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    for (int i = 0; i < 2'500; ++i) {
      core::TaskDraft d;
      d.title = "task " + std::to_string(i);
      if (i % 20 == 1) d.title += " often";  // 50 in every 1,000
      if (i % 500 == 7) d.title += " seldom";
      auto t = w.insert_task(core::make_task(alice_, d, from_millis(i)));
      if (!t) return t.error();
    }
    return {};
  }));
  schema_->exec("ANALYZE tasks");
  std::vector<BuiltQuery> trace;
  const auto reads_a_set = [&] {
    return std::count_if(trace.begin(), trace.end(), [](const BuiltQuery& s) {
      return s.sql.starts_with("WITH s AS MATERIALIZED") ||
             s.sql.find("count(") != std::string::npos;
    });
  };
  core::TaskQuery q;
  q.user_id = alice_;
  q.limit = 50;
  for (const auto& [word, read] : {std::pair{"often", false}, std::pair{"seldom", true}}) {
    q.words = {word};
    const auto walked = all_pages(q, {.plan = DrivingSet{}});
    ListingLimits limits;
    limits.word_walk = false;  // the walk of the sort index (a word walk reads no set)
    limits.trace = &trace;
    trace.clear();
    auto page = list_tasks(*conn_, q, limits);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(reads_a_set() > 0, read) << word;
    EXPECT_EQ(all_pages(q, limits), walked) << word;
  }
}

// A word longer than PostgreSQL's lexeme limit is cut alike in the vector, the query and the
// word ranges of task_words (on a character boundary), so every plan finds the same.
TEST_F(PgListingTest, AWordPastTheLexemeLimitIsFoundByEveryPlan) {
  std::string kanji;
  for (int i = 0; i < 700; ++i) kanji += "語";  // 3 bytes each: one 2,100-byte token
  core::TaskDraft d;
  d.title = "long";
  d.description = kanji;
  auto task = store_->write_value(
      [&](Writer& w) { return w.insert_task(core::make_task(alice_, d, core::now())); });
  ASSERT_TRUE(task) << task.error().message;
  core::TaskQuery q;
  q.user_id = alice_;
  for (const auto& search : {kanji, kanji.substr(0, 30), kanji + "語"}) {
    q.words = {search};
    const auto walked = all_pages(q, {.plan = DrivingSet{}});
    if (search.size() <= kanji.size()) {
      EXPECT_EQ(walked, std::vector<core::TaskId>{task->id});
    }
    EXPECT_EQ(all_pages(q, {.plan = DrivingSet{Driver::text, 0}}), walked);
    EXPECT_EQ(all_pages(q, {.word_walk = false, .plan = DrivingSet{}}), walked);
  }
}

}  // namespace
}  // namespace tickler::store::postgres
