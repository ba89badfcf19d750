// The plans of the statements a listing runs (task_listing.hpp) read one user's index entries
// only: EXPLAIN of each of them, for a user with many tasks beside one with few, custom and
// generic plans alike, never shows a sequential scan of tasks, a B-tree scan without the user
// in its condition, or a GIN index other than the per-user ones.
#include "store/postgres/task_query_sql.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <set>

#include "store/postgres/pg_test_support.hpp"
#include "store/postgres/task_listing.hpp"

namespace tickler::store::postgres {
namespace {

namespace json = boost::json;

// What in a plan (EXPLAIN (FORMAT JSON)) reads entries of other users than the listing's: a
// sequential scan, a B-tree scan without the user in its condition (but the primary key's
// lookup of one task), a GIN index other than the per-user ones.
void cross_user_reads(const json::object& node, std::vector<std::string>& out) {
  const auto text = [&](const char* key) -> std::string {
    const auto* v = node.if_contains(key);
    return v && v->is_string() ? std::string{v->as_string()} : std::string{};
  };
  const auto type = text("Node Type");
  const auto index = text("Index Name");
  const auto cond = text("Index Cond");
  const bool per_user = index == "tasks_tags_by_user" ||
                        cond.find("user_id = ") != std::string::npos ||
                        (index == "tasks_pkey" && cond.starts_with("(id = "));
  if (type == "Seq Scan" || type == "Tid Scan" || type == "Tid Range Scan") {
    out.push_back(type + " on " + text("Relation Name"));
  } else if (!index.empty() && !per_user) {
    out.push_back(type + " on " + index + " without the user: " + cond);
  }
  if (const auto* plans = node.if_contains("Plans")) {
    for (const auto& child : plans->as_array()) cross_user_reads(child.as_object(), out);
  }
}

class PgPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto url = TestSchema::url();
    if (!url) GTEST_SKIP() << "TICKLER_TEST_PG_URL not set";
    schema_ = std::make_unique<TestSchema>(*url);
    auto s = PostgresStore::open(schema_->settings(2, {"api"}));
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    ASSERT_TRUE(store_->migrate());
    conn_ = schema_->connect();
  }

  // The user's id, with n tasks (written in SQL, for speed): "common" in 30 % of them, "rare"
  // in 10, "alpha<k>" words for prefixes, tag home in 40 % (never with common), tag rare in
  // 10, high priority in 5 %.
  std::int64_t seed(const std::string& email, int n) {
    const auto id = schema_->exec("INSERT INTO users (email, password_hash, created_at) VALUES ('" +
                                  email + "', 'h', 0) RETURNING id");
    schema_->exec(
        "INSERT INTO tasks (user_id, created_at, updated_at, title, status, priority, tags, "
        "due_at, search) SELECT " +
        id +
        ", i, i, title, (i % 7 = 0)::int, CASE WHEN i % 20 = 0 THEN 3 ELSE i % 3 END, "
        "CASE WHEN i % 10 >= 4 THEN '{home}'::text[] ELSE '{}' END || "
        "CASE WHEN i % (" +
        std::to_string(n) +
        " / 10) = 1 THEN '{rare}'::text[] ELSE '{}' END, "
        "CASE WHEN i % 3 > 0 THEN 1800000000000 + i END, to_tsvector('simple', title) "
        "FROM (SELECT i, 'task ' || i || ' alpha' || (i % 50) || "
        "CASE WHEN i % 10 < 3 THEN ' common' ELSE '' END || "
        "CASE WHEN i % (" +
        std::to_string(n) + " / 10) = 1 THEN ' rare' ELSE '' END AS title " +
        "FROM generate_series(1, " + std::to_string(n) + ") i) s");
    return std::stoll(id);
  }

  // The plan violations of one statement, run with its parameters.
  std::vector<std::string> violations(const BuiltQuery& built) {
    std::string args;
    for (const auto& p : built.params) {
      if (!args.empty()) args += ", ";
      std::string quoted = "'";
      for (char c : *p) quoted += c == '\'' ? std::string{"''"} : std::string{c};
      args += quoted + "'";
    }
    schema_->exec("PREPARE plan_q AS " + built.sql);
    const auto plan = schema_->exec("EXPLAIN (FORMAT JSON) EXECUTE plan_q(" + args + ")");
    schema_->exec("DEALLOCATE plan_q");
    std::vector<std::string> out;
    cross_user_reads(json::parse(plan).as_array().at(0).as_object().at("Plan").as_object(), out);
    if (!out.empty()) out.push_back(plan);
    return out;
  }

  std::unique_ptr<TestSchema> schema_;
  std::unique_ptr<PostgresStore> store_;
  std::unique_ptr<PgConnection> conn_;
};

TEST_F(PgPlanTest, NoListingReadsAnotherUsersEntries) {
  const auto big = seed("big@example.com", 20'000);
  const auto small = seed("small@example.com", 300);
  schema_->exec("ANALYZE tasks");

  // The statements the store runs for text, prefix, tag and priority filters, by itself (the walk,
  // counts, a driven set or the walk going on) and under every plan, on two pages.
  std::vector<BuiltQuery> statements;
  std::set<std::string> driven;
  for (const auto user : {big, small}) {
    const std::vector<std::function<void(core::TaskQuery&)>> filters = {
        [](auto& q) { q.words = {"common"}; },
        [](auto& q) { q.words = {"rare"}; },
        [](auto& q) { q.words = {"alph"}; },
        [](auto& q) {
          q.words = {"comm", "alpha1"};
        },
        [](auto& q) { q.tags = {"rare"}; },
        [](auto& q) { q.tags = {"home"}; },
        [](auto& q) { q.priorities = {core::Priority::high}; },
        [](auto& q) {
          q.tags = {"home"};
          q.priorities = {core::Priority::high};
        },
        [](auto& q) {  // sets all over the cap, and disjoint: the walk goes on
          q.words = {"common"};
          q.tags = {"home"};
        },
        [](auto& q) {  // two small sets, both counted (home is estimated too large to count)
          q.words = {"rare"};
          q.tags = {"rare"};
        },
    };
    for (std::size_t f = 0; f < filters.size(); ++f) {
      for (auto sort : {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                        core::SortKey::created}) {
        core::TaskQuery q;
        q.user_id = user;
        q.sort = sort;
        q.order = core::default_order(sort);
        q.status = core::TaskStatus::pending;
        filters[f](q);
        std::vector<DrivingSet> plans = {DrivingSet{}};
        if (!q.words.empty()) plans.push_back({Driver::text, 0});
        if (!q.tags.empty()) plans.push_back({Driver::tag, 0});
        if (!q.priorities.empty()) plans.push_back({Driver::priority, 0});
        std::vector<ListingLimits> runs(1);
        for (const auto& plan : plans) runs.push_back({.plan = plan});
        for (auto run : runs) {
          std::vector<BuiltQuery> trace;
          run.trace = &trace;
          auto page = list_tasks(*conn_, q, run);
          ASSERT_TRUE(page) << page.error().message;
          if (page->next) {
            auto next = q;
            next.after = page->next;
            ASSERT_TRUE(list_tasks(*conn_, next, run));
          }
          for (auto& s : trace) {
            if (!run.plan && (s.sql.find("OFFSET 0") != std::string::npos ||
                              s.sql.starts_with("WITH s AS MATERIALIZED"))) {
              driven.insert(s.sql);
            }
            statements.push_back(std::move(s));
          }
        }
      }
    }
  }
  // The store chose to read sets by itself too (not only when told to), both ways.
  EXPECT_TRUE(std::any_of(driven.begin(), driven.end(),
                          [](const auto& sql) { return sql.starts_with("WITH s "); }));
  EXPECT_TRUE(std::any_of(driven.begin(), driven.end(),
                          [](const auto& sql) { return !sql.starts_with("WITH s "); }));

  // The estimates of sets (EXPLAIN, task_listing.hpp) read no entries: they plan, not run.
  const auto estimates = std::count_if(statements.begin(), statements.end(),
                                       [](const auto& s) { return s.sql.starts_with("EXPLAIN "); });
  EXPECT_GT(estimates, 0);
  for (const char* mode : {"force_custom_plan", "force_generic_plan"}) {
    schema_->exec(std::string{"SET plan_cache_mode = "} + mode);
    for (const auto& s : statements) {
      // Estimates plan, not run; the statistics' size reads the catalog, not tasks.
      if (s.sql.starts_with("EXPLAIN ") || s.params.empty()) continue;
      const auto found = violations(s);
      EXPECT_TRUE(found.empty()) << mode << ": " << s.sql << "\n" << found.front();
    }
  }
}

// A walk with a tag reads that tag's entries in task_tags (migration 0007; the triggers wrote
// them as the tasks were inserted) in the sort order, tests the priority on the entries (an
// index-only scan) and reads from tasks only the entries that pass and the run's last: a tag
// and a priority never together read one row for a run of 1,000 entries, in every sort and
// order; a page that fills stops the scan. The pages are those of the tag's set, sorted.
TEST_F(PgPlanTest, AWalkReadsOnlyTheRowsItsEntriesPass) {
  const auto big = seed("big@example.com", 20'000);  // home on 12,000, never with high
  seed("small@example.com", 300);
  schema_->exec("VACUUM ANALYZE tasks");
  const std::vector<std::function<void(core::TaskQuery&)>> filters = {
      [](auto& q) {
        q.tags = {"home"};
        q.priorities = {core::Priority::high};  // nothing passes: the run reads its last only
      },
      [](auto& q) {
        q.tags = {"home"};
        q.priorities = {core::Priority::none, core::Priority::low, core::Priority::medium};
        q.status = core::TaskStatus::pending;  // tested on the rows read
      },
  };
  for (std::size_t f = 0; f < filters.size(); ++f) {
    for (auto sort : {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                      core::SortKey::created}) {
      for (auto order : {core::SortOrder::asc, core::SortOrder::desc}) {
        core::TaskQuery q;
        q.user_id = big;
        q.sort = sort;
        q.order = order;
        q.limit = 5;
        filters[f](q);
        const auto label = "filter " + std::to_string(f) + ", sort " +
                           std::to_string(static_cast<int>(sort)) + ", order " +
                           std::to_string(static_cast<int>(order));
        const auto walk = build_task_walk(q, 1000);
        std::string args;
        for (const auto& p : walk.params) {
          if (!args.empty()) args += ", ";
          args += "'" + *p + "'";
        }
        schema_->exec("PREPARE walk_q AS " + walk.sql);
        const auto plan =
            schema_->exec("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE walk_q(" + args + ")");
        schema_->exec("DEALLOCATE walk_q");
        // Every scan of the plan: its type, index, rows and loops.
        std::int64_t index_only = 0;
        std::int64_t entries = 0;
        std::int64_t rows_read = 0;
        std::vector<std::string> other;
        const std::function<void(const json::object&)> visit = [&](const json::object& node) {
          const auto type = std::string{node.at("Node Type").as_string()};
          const auto* index = node.if_contains("Index Name");
          const auto name = index ? std::string{index->as_string()} : std::string{};
          const auto rows = node.at("Actual Rows").to_number<std::int64_t>() *
                            node.at("Actual Loops").to_number<std::int64_t>();
          if (type == "Index Only Scan" && name.starts_with("task_tags_by_")) {
            ++index_only;
            entries += rows;
          } else if (type == "Index Scan" && name == "tasks_pkey") {
            rows_read += rows;
          } else if (type.find("Scan") != std::string::npos && type != "Subquery Scan") {
            other.push_back(type + " " + name);
          }
          if (const auto* plans = node.if_contains("Plans")) {
            for (const auto& child : plans->as_array()) visit(child.as_object());
          }
        };
        visit(json::parse(plan).as_array().at(0).as_object().at("Plan").as_object());
        EXPECT_EQ(index_only, 1) << label << "\n" << plan;
        if (f == 0) {
          EXPECT_EQ(entries, 1000) << label;
          EXPECT_EQ(rows_read, 1) << label << "\n" << plan;
        } else {
          EXPECT_LT(entries, 30) << label << "\n" << plan;  // a page of 5 fills early
          EXPECT_LT(rows_read, 20) << label << "\n" << plan;
        }
        EXPECT_TRUE(other.empty()) << label << ": " << other.front();

        // The same pages as the walk of every row would give: as a set read and sorted.
        std::vector<DrivingSet> sets = {DrivingSet{}};
        if (!q.tags.empty()) sets.push_back({Driver::tag, 0});
        std::vector<std::vector<core::TaskId>> pages;
        for (const auto& set : sets) {
          auto page = list_tasks(*conn_, q, {.plan = set});
          ASSERT_TRUE(page) << page.error().message;
          pages.emplace_back();
          for (const auto& t : page->items) pages.back().push_back(t.id);
        }
        EXPECT_EQ(pages.front(), pages.back()) << label;
      }
    }
  }
}

// A walk whose every entry is a hit (no filter, or only the priorities and one tag it walks)
// runs for the page and one more entry: a LIMIT the planner reads along the index even when the
// user's tasks are the whole, small table (a run of 1,000 there is a scan of the table, sorted).
TEST_F(PgPlanTest, AWalkOfHitsReadsItsIndexInASmallTable) {
  const auto only = seed("only@example.com", 600);
  schema_->exec("VACUUM ANALYZE tasks");
  schema_->exec("VACUUM ANALYZE task_tags");
  const std::vector<std::function<void(core::TaskQuery&)>> filters = {
      [](auto&) {},
      [](auto& q) { q.priorities = {core::Priority::high}; },
      [](auto& q) {
        q.priorities = {core::Priority::low, core::Priority::high};
      },
      [](auto& q) {
        q.tags = {"home"};
        q.priorities = {core::Priority::low};
      },
  };
  for (const auto& filter : filters) {
    for (const auto order : {core::SortOrder::desc, core::SortOrder::asc}) {
      core::TaskQuery q;
      q.user_id = only;
      q.order = order;
      filter(q);
      std::vector<BuiltQuery> trace;
      ListingLimits limits;
      limits.trace = &trace;
      auto page = list_tasks(*conn_, q, limits);
      ASSERT_TRUE(page) << page.error().message;
      EXPECT_FALSE(page->items.empty());
      ASSERT_EQ(trace.size(), 1U);
      EXPECT_EQ(violations(trace.front()), std::vector<std::string>{}) << trace.front().sql;
    }
  }
}

// The check itself fails on a plan that reads every user's entries.
TEST_F(PgPlanTest, ACrossUserPlanIsCaught) {
  seed("big@example.com", 2'000);
  schema_->exec("ANALYZE tasks");
  EXPECT_FALSE(violations({"SELECT id FROM tasks WHERE title = $1", {"task 7"}}).empty());
  schema_->exec("CREATE INDEX tasks_search_everyone ON tasks USING gin (search)");
  schema_->exec("SET enable_seqscan = off");
  const auto found = violations({"SELECT id FROM tasks t WHERE t.search @@ $1::tsquery", {"rare"}});
  ASSERT_FALSE(found.empty());
  EXPECT_NE(found.front().find("tasks_search_everyone"), std::string::npos) << found.front();
}

}  // namespace
}  // namespace tickler::store::postgres
