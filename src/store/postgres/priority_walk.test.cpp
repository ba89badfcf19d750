// A priority filter in created order walks the wanted priorities' entries in
// tasks_by_priority_created (migrations/postgres/api/0009) — with a tag, the tag's entries of
// those priorities in task_tags_by_priority_created (api/0010) — merged: its pages are those of
// the tasks in memory from every cursor, in both orders, and recent tasks of other priorities are
// not read, however many.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <functional>

#include "core/validation.hpp"
#include "store/postgres/pg_listing_fixture.hpp"
#include "store/postgres/task_listing.hpp"

namespace tickler::store::postgres {
namespace {

namespace json = boost::json;
using core::from_millis;

class PgPriorityWalkTest : public PgListingFixture {
 protected:
  // n older tasks of user (every priority, ties in created_at, some completed, some due, tagged
  // home, home and work, work or nothing in turn), then `recent` newer tasks of priority none
  // tagged home; returns them all, as written.
  std::vector<core::Task> seed(core::UserId user, int n, int recent) {
    std::vector<core::Task> tasks;
    EXPECT_TRUE(store_->write([&](Writer& w) -> core::Status {
      for (int i = 0; i < n + recent; ++i) {
        core::TaskDraft d;
        d.title = (i < n ? "older " : "bench create ") + std::to_string(i);
        if (i % 3) d.due_at = from_millis(1'800'000'000'000 + (i % 7) * 60'000);
        if (i >= n || i % 4 < 2) d.tags.push_back("home");
        if (i < n && i % 4 > 0 && i % 4 < 3) d.tags.push_back("work");
        auto task = core::make_task(user, d, from_millis(i / 3));
        task.priority = i < n ? static_cast<core::Priority>((i * 7 / 3) % 4) : core::Priority::none;
        if (i % 5 == 0) {
          task.status = core::TaskStatus::completed;
          task.completed_at = from_millis(9);
        }
        auto t = w.insert_task(task);
        if (!t) return t.error();
        tasks.push_back(*t);
      }
      return {};
    }));
    return tasks;
  }

  core::Result<core::TaskPage> page(const core::TaskQuery& q, const ListingLimits& limits) {
    return list_tasks(*conn_, q, limits);
  }

  // The index entries the statement's scans return, but the reads of a task by id: EXPLAIN
  // ANALYZE's actual rows of every scan node, times its loops.
  std::int64_t entries_read(const BuiltQuery& statement, std::string& plan) {
    std::string args;
    for (const auto& p : statement.params) {
      if (!args.empty()) args += ", ";
      args += p ? "'" + *p + "'" : std::string{"NULL"};
    }
    schema_->exec("PREPARE walk_q AS " + statement.sql);
    plan = schema_->exec("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE walk_q" +
                         (args.empty() ? std::string{} : "(" + args + ")"));
    schema_->exec("DEALLOCATE walk_q");
    std::int64_t read = 0;
    const std::function<void(const json::object&)> visit = [&](const json::object& node) {
      const auto type = std::string{node.at("Node Type").as_string()};
      const auto* index = node.if_contains("Index Name");
      const bool by_id = index && index->as_string() == "tasks_pkey";
      if (type.find("Scan") != std::string::npos && type != "Subquery Scan" && !by_id) {
        read += node.at("Actual Rows").to_number<std::int64_t>() *
                node.at("Actual Loops").to_number<std::int64_t>();
      }
      if (const auto* plans = node.if_contains("Plans")) {
        for (const auto& child : plans->as_array()) visit(child.as_object());
      }
    };
    visit(json::parse(plan).as_array().at(0).as_object().at("Plan").as_object());
    return read;
  }
};

bool passes(const core::Task& t, const core::TaskQuery& q) {
  if (q.status && t.status != *q.status) return false;
  if (std::find(q.priorities.begin(), q.priorities.end(), t.priority) == q.priorities.end()) {
    return false;
  }
  if (q.due_before && !(t.due_at && *t.due_at < *q.due_before)) return false;
  return std::all_of(q.tags.begin(), q.tags.end(), [&](const std::string& tag) {
    return std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end();
  });
}

TEST_F(PgPriorityWalkTest, PagesAreTheTasksInMemoryFromEveryCursor) {
  auto tasks = seed(alice_, 150, 60);
  seed(bob_, 40, 0);
  std::sort(tasks.begin(), tasks.end(), [](const core::Task& a, const core::Task& b) {
    return std::pair{a.created_at, a.id} < std::pair{b.created_at, b.id};
  });
  using P = core::Priority;
  const std::vector<std::vector<P>> priority_sets = {{P::high},
                                                     {P::none},
                                                     {P::low, P::high},
                                                     {P::medium, P::medium},
                                                     {P::high, P::none, P::low},
                                                     {P::none, P::low, P::medium, P::high}};
  const std::vector<std::vector<std::string>> tag_sets = {{}, {"home"}, {"work", "home"}};
  std::vector<BuiltQuery> trace;
  int combination = 0;
  for (const auto& priorities : priority_sets) {
    for (const auto order : {core::SortOrder::asc, core::SortOrder::desc}) {
      const int c = combination++;
      core::TaskQuery q;
      q.user_id = alice_;
      q.priorities = priorities;
      q.tags = tag_sets[static_cast<std::size_t>(c + 1) % tag_sets.size()];
      q.sort = core::SortKey::created;
      q.order = order;
      if (c % 3 == 1) q.status = core::TaskStatus::pending;
      if (c % 4 == 2) q.due_before = from_millis(1'800'000'000'000 + 3 * 60'000);
      q.limit = 1 + c % 5;
      const auto label = "combination " + std::to_string(c);
      std::vector<core::Task> expected;
      std::copy_if(tasks.begin(), tasks.end(), std::back_inserter(expected),
                   [&](const core::Task& t) { return passes(t, q); });
      if (order == core::SortOrder::desc) std::reverse(expected.begin(), expected.end());
      std::vector<core::TaskId> expected_ids;
      for (const auto& t : expected) expected_ids.push_back(t.id);
      ASSERT_FALSE(expected_ids.empty()) << label;

      // Runs of a few entries (many runs a page) and of the default size.
      for (const std::int64_t walk_rows : {std::int64_t{3}, k_walk_rows}) {
        ListingLimits limits;
        limits.walk_rows = walk_rows;
        limits.trace = &trace;
        trace.clear();
        EXPECT_EQ(all_pages(q, limits), expected_ids) << label;
        // Only walks of the priorities' entries (of the first tag's), no count.
        const std::string walked =
            q.tags.empty() ? "FROM tasks x WHERE x.user_id" : "FROM task_tags x WHERE x.user_id";
        for (const auto& s : trace) EXPECT_NE(s.sql.find(walked), std::string::npos) << s.sql;
        // The page after each task's cursor (the filters' misses among them).
        for (std::size_t k = 0; k < tasks.size(); k += 7) {
          auto from = q;
          from.after = core::keyset_of(tasks[k], q.sort);
          const auto first = std::find_if(expected.begin(), expected.end(), [&](const auto& t) {
            const auto key = std::pair{t.created_at, t.id};
            const auto at = std::pair{tasks[k].created_at, tasks[k].id};
            return order == core::SortOrder::asc ? key > at : key < at;
          });
          std::vector<core::TaskId> want;
          for (auto it = first; it != expected.end() && std::ssize(want) < q.limit; ++it) {
            want.push_back(it->id);
          }
          auto p = page(from, limits);
          ASSERT_TRUE(p) << p.error().message;
          std::vector<core::TaskId> got;
          for (const auto& t : p->items) got.push_back(t.id);
          EXPECT_EQ(got, want) << label << ", after task " << k;
          EXPECT_EQ(p->next.has_value(),
                    std::ssize(want) == q.limit && first + q.limit != expected.end())
              << label << ", after task " << k;
        }
      }
      // The sort index's walk (the tag's entries' walk) lists the same pages.
      ListingLimits sort_index_walk;
      sort_index_walk.priority_walk = false;
      EXPECT_EQ(all_pages(q, sort_index_walk), expected_ids) << label;
    }
  }
}

// Many recent tasks of priority none (tagged home) ahead of older ones of every priority: the
// listing reads about limit + 1 entries of each wanted priority, in one statement, and none of
// the recent tasks (the sort index's walk, and the tag's, read them all before the first hit).
TEST_F(PgPriorityWalkTest, RecentTasksOfOtherPrioritiesAreNotRead) {
  seed(alice_, 2'000, 3'000);
  schema_->exec("VACUUM ANALYZE tasks");
  schema_->exec("VACUUM ANALYZE task_tags");
  using P = core::Priority;
  for (const auto& priorities : {std::vector<P>{P::high}, std::vector<P>{P::low, P::high}}) {
    for (const auto order : {core::SortOrder::desc, core::SortOrder::asc}) {
      for (const auto& tags : {std::vector<std::string>{}, std::vector<std::string>{"home"}}) {
        core::TaskQuery q;
        q.user_id = alice_;
        q.priorities = priorities;
        q.tags = tags;
        q.sort = core::SortKey::created;
        q.order = order;
        q.limit = 50;
        // The first page and the next (from its cursor).
        for (int n = 0; n < 2; ++n) {
          std::vector<BuiltQuery> trace;
          ListingLimits limits;
          // Runs of 60 entries: a run's LIMIT well under a priority's ~500 tasks, as the default
          // run's 1,000 is under a priority's tasks at scale (with a LIMIT near the set's size the
          // planner may read the set by a bitmap and sort it: a cost the run's LIMIT bounds).
          limits.walk_rows = 60;
          limits.trace = &trace;
          auto p = page(q, limits);
          ASSERT_TRUE(p) << p.error().message;
          ASSERT_EQ(p->items.size(), 50U);
          ASSERT_TRUE(p->next);
          EXPECT_EQ(trace.size(), 1U);
          std::int64_t read = 0;
          std::string plans;
          for (const auto& statement : trace) {
            std::string plan;
            read += entries_read(statement, plan);
            plans += plan;
          }
          EXPECT_LE(read, (q.limit + 2) * std::ssize(priorities))
              << priorities.size() << " priorities, " << tags.size() << " tags, page " << n << ": "
              << plans;
          q.after = p->next;
        }
      }
    }
  }
}

}  // namespace
}  // namespace tickler::store::postgres
