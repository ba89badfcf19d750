// PostgreSQL-only behaviour: races between connections, migrations per role, broken
// connections, a transaction's round trips, query plans. The pieces that need no server are
// tested beside them (search_terms.test.cpp, pg_connection.test.cpp). The Store contract both
// engines keep is in store/store_contract.test.cpp.
#include "store/postgres/pg_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <set>
#include <thread>

#include "core/validation.hpp"
#include "store/migrations.hpp"
#include "store/postgres/pg_test_support.hpp"
#include "store/postgres/task_listing.hpp"
#include "store/postgres/task_query_sql.hpp"

namespace tickler::store::postgres {
namespace {

using core::from_millis;

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto url = TestSchema::url();
    if (!url) GTEST_SKIP() << "TICKLER_TEST_PG_URL not set";
    schema_ = std::make_unique<TestSchema>(*url);
  }

  std::unique_ptr<PostgresStore> open(int pool_size = 4, std::vector<std::string> roles = {}) {
    auto s = PostgresStore::open(schema_->settings(pool_size, std::move(roles)));
    EXPECT_TRUE(s) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }

  std::unique_ptr<PostgresStore> migrated(int pool_size = 4) {
    auto store = open(pool_size);
    auto applied = store->migrate();
    EXPECT_TRUE(applied) << applied.error().message;
    return store;
  }

  core::UserId add_user(Store& store, const std::string& email) {
    auto u = store.write_value([&](Writer& w) {
      return w.insert_user({0, email, "", "hash", core::now()});
    });
    EXPECT_TRUE(u);
    return u ? u->id : 0;
  }

  // Runs fn on k threads that start together; returns once all are done.
  static void race(int k, const std::function<void(int)>& fn) {
    std::barrier start{k};
    std::vector<std::thread> threads;
    for (int i = 0; i < k; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        fn(i);
      });
    }
    for (auto& t : threads) t.join();
  }

  std::unique_ptr<TestSchema> schema_;
};

TEST_F(PgStoreTest, AReminderFiresOnceWhenTwoFireItAtOnce) {
  auto store = migrated();
  for (int round = 0; round < 20; ++round) {
    const auto id = "r" + std::to_string(round);
    ASSERT_TRUE(store->write([&](Writer& w) {
      return w.upsert_reminder({id, 1, 1, "t", {}, from_millis(1'000), "scheduled", {}});
    }));
    std::atomic<int> fired{0};
    std::atomic<int> failed{0};
    race(2, [&](int) {
      auto r =
          store->write_value([&](Writer& w) { return w.fire_reminder(id, from_millis(2'000)); });
      if (!r) {
        ++failed;
      } else if (*r) {
        ++fired;
      }
    });
    EXPECT_EQ(fired.load(), 1) << id;
    EXPECT_EQ(failed.load(), 0) << id;
  }
}

TEST_F(PgStoreTest, ConcurrentAuditAppendsKeepOneUnbrokenChain) {
  auto store = migrated();
  constexpr int k_threads = 2;
  constexpr int k_appends = 25;
  std::atomic<int> failed{0};
  race(k_threads, [&](int t) {
    for (int i = 0; i < k_appends; ++i) {
      const auto event_id = "e" + std::to_string(t) + "-" + std::to_string(i);
      // What the auditor does: read the head, chain to it, append, in one write.
      auto st = store->write([&](Writer& w) -> core::Status {
        auto head = w.audit_head(7);
        if (!head) return head.error();
        AuditEntry e;
        e.event_id = event_id;
        e.user_id = 7;
        e.task_id = 1;
        e.actor = "a";
        e.type = "t";
        e.changes = "{}";
        e.prev_hash = *head ? (*head)->hash : "genesis";
        e.hash = e.prev_hash + ">" + event_id;
        auto id = w.append_audit(e);
        if (!id) return id.error();
        return {};
      });
      if (!st) {
        ++failed;
        ADD_FAILURE() << st.error().message;
      }
    }
  });
  EXPECT_EQ(failed.load(), 0);
  std::string last = "genesis";
  int entries = 0;
  ASSERT_TRUE(store->read([&](Reader& r) {
    return r.for_each_audit_entry([&](const AuditEntry& e) -> core::Status {
      EXPECT_EQ(e.prev_hash, last) << "entry " << e.id << " forks the chain";
      last = e.hash;
      ++entries;
      return {};
    });
  }));
  EXPECT_EQ(entries, k_threads * k_appends);
  auto head = store->read_value([&](Reader& r) { return r.audit_head(7); });
  ASSERT_TRUE(head && *head);
  EXPECT_EQ((*head)->hash, last);
  EXPECT_EQ((*head)->entries, k_threads * k_appends);
  EXPECT_GE(store->pool_stats().commits, store->pool_stats().write_jobs);
}

TEST_F(PgStoreTest, AnAppendAfterAStaleHeadIsRefused) {
  auto store = migrated();
  AuditEntry e{0, "e1", 7, 1, "a", "t", "{}", from_millis(1), "", "genesis", "h1"};
  ASSERT_TRUE(store->write_value([&](Writer& w) { return w.append_audit(e); }));
  e.event_id = "e2";
  e.hash = "h2";  // still follows genesis: the head is h1 by now
  auto forked = store->write_value([&](Writer& w) { return w.append_audit(e); });
  ASSERT_FALSE(forked);
  EXPECT_EQ(forked.error().code, core::Errc::conflict);
  auto history = store->read_value([&](Reader& r) { return r.audit_history(7, 1); });
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 1U);
}

TEST_F(PgStoreTest, TwoInsertsOfOneOccurrenceMakeOneTaskAndOneConflict) {
  auto store = migrated();
  const auto user = add_user(*store, "a@example.com");
  for (int round = 0; round < 10; ++round) {
    std::atomic<int> made{0};
    std::atomic<int> conflicts{0};
    race(2, [&](int) {
      core::TaskDraft d;
      d.title = "next";
      auto task = core::make_task(user, d, core::now());
      task.recurrence = core::Recurrence{"FREQ=DAILY", core::RecurrenceMode::schedule};
      task.series_id = 1'000 + round;
      task.occurrence_index = 3;
      auto t = store->write_value([&](Writer& w) { return w.insert_task(task); });
      if (t) {
        ++made;
      } else if (t.error().code == core::Errc::conflict) {
        ++conflicts;
      }
    });
    EXPECT_EQ(made.load(), 1);
    EXPECT_EQ(conflicts.load(), 1);
  }
}

// REPEATABLE READ plus retries: two read-modify-write transactions on one row both land.
TEST_F(PgStoreTest, ConcurrentReadModifyWritesLoseNoUpdate) {
  auto settings = schema_->settings(4);
  settings.max_attempts = 20;  // the test is about lost updates, not about giving up
  auto opened = PostgresStore::open(settings);
  ASSERT_TRUE(opened);
  auto& store = *opened;
  ASSERT_TRUE(store->migrate());
  const auto user = add_user(*store, "a@example.com");
  core::TaskDraft d;
  d.title = "counter";
  auto task = store->write_value(
      [&](Writer& w) { return w.insert_task(core::make_task(user, d, core::now())); });
  ASSERT_TRUE(task);
  constexpr int k_threads = 3;
  constexpr int k_bumps = 10;
  std::atomic<int> failed{0};
  race(k_threads, [&](int) {
    for (int i = 0; i < k_bumps; ++i) {
      auto st = store->write([&](Writer& w) -> core::Status {
        auto t = w.task(user, task->id);
        if (!t) return t.error();
        ++t->version;
        return w.update_task(*t);
      });
      if (!st) ++failed;
    }
  });
  auto t = store->read_value([&](Reader& r) { return r.task(user, task->id); });
  ASSERT_TRUE(t);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(t->version, 1 + k_threads * k_bumps);
  EXPECT_GT(store->pool_stats().commits, store->pool_stats().write_jobs);  // some ran again
}

TEST_F(PgStoreTest, MigrationsApplyPerRoleAndOnce) {
  const auto all = postgres_migrations();
  auto count = [&](std::initializer_list<std::string_view> roles) {
    return static_cast<int>(std::count_if(all.begin(), all.end(), [&](const auto& m) {
      return std::find(roles.begin(), roles.end(), m.role) != roles.end();
    }));
  };
  auto api = open(2, {"api", "outbox"});
  auto applied = api->migrate();
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(*applied, count({"api", "outbox"}));
  EXPECT_EQ(schema_->exec("SELECT count(*) FROM schema_migrations WHERE role = 'api'"),
            std::to_string(count({"api"})));
  EXPECT_EQ(schema_->exec("SELECT to_regclass('reminders') IS NULL"), "t");
  auto no_table = api->read_value([&](Reader& r) { return r.due_reminders(core::now(), 1); });
  ASSERT_FALSE(no_table);
  EXPECT_EQ(no_table.error().code, core::Errc::internal);

  auto notifier = open(2, {"notifier", "consumer"});
  applied = notifier->migrate();
  ASSERT_TRUE(applied);
  EXPECT_EQ(*applied, count({"notifier", "consumer"}));
  EXPECT_EQ(*notifier->migrate(), 0);
  EXPECT_EQ(*api->migrate(), 0);
  auto everything = open(2);
  EXPECT_EQ(*everything->migrate(), count({"auditor"}));
  EXPECT_TRUE(api->read_value([&](Reader& r) { return r.due_reminders(core::now(), 1); }));

  auto unknown = PostgresStore::open(schema_->settings(1, {"billing"}));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::Errc::invalid_parameter);
}

// A database the api's earlier migrations built, with tasks in it, searches and filters by tag
// correctly once api/0003 has moved the indexes to the owners' keys (built from those rows).
TEST_F(PgStoreTest, TasksWrittenBeforeThePerUserIndexesAreFound) {
  schema_->exec(
      "CREATE TABLE schema_migrations (role text NOT NULL, version integer NOT NULL, "
      "name text NOT NULL, applied_at bigint NOT NULL, PRIMARY KEY (role, version))");
  int later = 0;  // api/0003 and the api's migrations after it
  for (const auto& [role, m] : postgres_migrations()) {
    if (role == "api" && m.version >= 3) ++later;
    if (role != "api" || m.version >= 3) continue;
    schema_->exec(std::string{m.sql});
    schema_->exec("INSERT INTO schema_migrations VALUES ('api', " + std::to_string(m.version) +
                  ", '" + std::string{m.name} + "', 0)");
  }
  auto store = open(2, {"api"});
  const auto alice = add_user(*store, "alice@example.com");
  const auto bob = add_user(*store, "bob@example.com");
  std::vector<core::TaskId> alices;
  ASSERT_TRUE(store->write([&](Writer& w) -> core::Status {
    for (int i = 0; i < 30; ++i) {
      for (auto user : {alice, bob}) {
        core::TaskDraft d;
        d.title = i % 10 == 0 ? "Pay the rent " + std::to_string(i) : "Call " + std::to_string(i);
        if (i % 3 == 0) d.tags = {"home"};
        auto t = w.insert_task(core::make_task(user, d, from_millis(i)));
        if (!t) return t.error();
        if (user == alice && i % 30 == 0) alices.push_back(t->id);
      }
    }
    return {};
  }));
  EXPECT_EQ(schema_->exec("SELECT to_regclass('tasks_search_by_user') IS NULL"), "t");
  auto applied = store->migrate();
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(*applied, later);

  // Rent and home together: tasks 0 (of 0, 10, 20 with rent; 0, 3, … with home).
  core::TaskQuery q;
  q.user_id = alice;
  q.words = {"ren"};
  q.tags = {"home"};
  auto conn = schema_->connect();
  for (const auto& plan : {DrivingSet{}, DrivingSet{Driver::text, 0}, DrivingSet{Driver::tag, 0}}) {
    ListingLimits limits;
    limits.plan = plan;
    auto page = list_tasks(*conn, q, limits);
    ASSERT_TRUE(page) << page.error().message;
    std::vector<core::TaskId> ids;
    for (const auto& t : page->items) ids.push_back(t.id);
    EXPECT_EQ(ids, alices) << static_cast<int>(plan.driver);
  }
  auto page = store->read_value([&](Reader& r) { return r.tasks(q); });
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), 1U);
}

TEST_F(PgStoreTest, ProcessesMigratingAtOnceApplyEachMigrationOnce) {
  constexpr int k_processes = 3;
  std::vector<std::unique_ptr<PostgresStore>> stores;
  for (int i = 0; i < k_processes; ++i) stores.push_back(open(1));
  std::atomic<int> applied{0};
  std::atomic<int> failed{0};
  race(k_processes, [&](int i) {
    auto n = stores[static_cast<std::size_t>(i)]->migrate();
    if (n) {
      applied += *n;
    } else {
      ++failed;
      ADD_FAILURE() << n.error().message;
    }
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(applied.load(), static_cast<int>(postgres_migrations().size()));
}

TEST_F(PgStoreTest, ABrokenConnectionIsReplaced) {
  auto store = migrated(1);
  const auto user = add_user(*store, "a@example.com");
  EXPECT_EQ(schema_->terminate_store_connections(), 1);
  EXPECT_TRUE(store->ping());
  EXPECT_EQ(schema_->terminate_store_connections(), 1);
  auto found = store->read_value([&](Reader& r) { return r.user_by_id(user); });
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_TRUE(*found);
  EXPECT_EQ(schema_->terminate_store_connections(), 1);
  EXPECT_NE(add_user(*store, "b@example.com"), 0);
  EXPECT_EQ(store->pool_stats().size, 1);
  EXPECT_EQ(store->pool_stats().in_use, 0);
}

TEST_F(PgStoreTest, ABadUrlFailsAtOpen) {
  auto settings = schema_->settings();
  settings.url = "postgresql://nobody@127.0.0.1:1/nothing";
  settings.connect_timeout_seconds = 2;
  auto s = PostgresStore::open(settings);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::Errc::unavailable);
}

TEST_F(PgStoreTest, WaitsForAFreeConnectionAreCounted) {
  auto store = migrated(1);
  std::atomic<bool> holding{false};
  std::atomic<bool> release{false};
  std::thread holder{[&] {
    (void)store->read([&](Reader&) -> core::Status {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds{1});
      return {};
    });
  }};
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds{1});
  EXPECT_EQ(store->pool_stats().in_use, 1);
  std::thread waiter{[&] { EXPECT_TRUE(store->ping()); }};
  while (store->pool_stats().waits == 0) std::this_thread::sleep_for(std::chrono::milliseconds{1});
  release = true;
  holder.join();
  waiter.join();
  EXPECT_EQ(store->pool_stats().waits, 1U);
  EXPECT_EQ(store->pool_stats().size, 1);
}

TEST_F(PgStoreTest, AFailedStatementFailsTheWriteEvenWhenIgnored) {
  auto store = migrated();
  const auto user = add_user(*store, "a@example.com");
  auto st = store->write([&](Writer& w) -> core::Status {
    (void)w.insert_user({0, "a@example.com", "", "h", core::now()});  // conflict, ignored
    return {};
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::conflict);
  EXPECT_NE(user, 0);
}

// The same for a read, whose COMMIT is otherwise not waited for: here the statement that fails
// is a write in a read-only transaction.
TEST_F(PgStoreTest, AFailedStatementFailsTheReadEvenWhenIgnored) {
  auto store = migrated();
  bool ran = false;
  auto st = store->read([&](Reader& r) -> core::Status {
    auto* w = dynamic_cast<Writer*>(&r);  // a write in a read-only transaction: it fails
    if (w) (void)w->insert_user({0, "a@example.com", "", "h", core::now()});
    ran = w != nullptr;
    return {};
  });
  ASSERT_TRUE(ran);
  EXPECT_FALSE(st);
  std::size_t users = 99;
  EXPECT_TRUE(store->read([&](Reader& r) -> core::Status {
    auto all = r.users();
    if (!all) return all.error();
    users = all->size();
    return {};
  }));
  EXPECT_EQ(users, 0U);  // nothing written, and the next read runs
}

// BEGIN goes out with a transaction's first statement (one round trip): the snapshot is still
// the transaction's, from its first statement to its last.
TEST_F(PgStoreTest, AReadSeesOneSnapshotAlthoughItsBeginTravelsWithItsFirstStatement) {
  auto store = migrated(1);
  auto other = open(1);
  add_user(*store, "a@example.com");
  std::size_t first = 0;
  std::size_t second = 0;
  auto st = store->read([&](Reader& r) -> core::Status {
    auto before = r.users();
    if (!before) return before.error();
    first = before->size();
    EXPECT_NE(add_user(*other, "b@example.com"), 0);  // committed meanwhile, elsewhere
    auto after = r.users();
    if (!after) return after.error();
    second = after->size();
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(first, 1U);
  EXPECT_EQ(second, 1U);
  auto now = store->read_value([](Reader& r) { return r.users(); });
  ASSERT_TRUE(now) << now.error().message;
  EXPECT_EQ(now->size(), 2U);
}

// A statement prepared in the same round trip as BEGIN and its first run stays prepared when
// that run fails; a read that runs nothing opens no transaction; a read's COMMIT, not waited
// for, is read before the connection's next statement.
TEST_F(PgStoreTest, TheConnectionStaysUsableWhateverTheFirstStatementDoes) {
  auto store = migrated(1);
  add_user(*store, "a@example.com");
  auto fresh = open(1);  // its connection has prepared nothing yet
  auto dup = fresh->write([&](Writer& w) -> core::Status {
    auto u = w.insert_user({0, "a@example.com", "", "h", core::now()});
    return u ? core::Status{} : core::Status{u.error()};
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::Errc::conflict);
  EXPECT_NE(add_user(*fresh, "b@example.com"), 0) << "insert_user, prepared by the failed run";
  EXPECT_TRUE(fresh->read([](Reader&) -> core::Status { return {}; }));
  for (int i = 0; i < 3; ++i) {
    auto users = fresh->read_value([](Reader& r) { return r.users(); });
    ASSERT_TRUE(users) << users.error().message;
    EXPECT_EQ(users->size(), 2U + static_cast<std::size_t>(i));
    EXPECT_NE(add_user(*fresh, "c" + std::to_string(i) + "@example.com"), 0);
  }
  EXPECT_EQ(fresh->pool_stats().size, 1);
  EXPECT_EQ(fresh->pool_stats().in_use, 0);
}

// Every sort has an index whose order is the ORDER BY's (collation included), so a listing can
// walk it without sorting — the user's (tasks_by_<key>), and a tag's (task_tags_by_<key>) when
// the listing has one; the planner is steered to show that the walk exists.
TEST_F(PgStoreTest, EverySortCanWalkAnIndexWithoutSorting) {
  auto store = migrated();
  schema_->exec("SET enable_seqscan = off");
  schema_->exec("SET enable_sort = off");
  schema_->exec("SET enable_bitmapscan = off");
  for (auto sort : {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                    core::SortKey::created}) {
    for (int variant = 0; variant < 4; ++variant) {
      const bool after = variant % 2 == 1;
      const bool tagged = variant >= 2;
      core::TaskQuery q;
      q.user_id = 1;
      q.sort = sort;
      q.order = core::default_order(sort);
      q.status = core::TaskStatus::pending;
      if (tagged) q.tags = {"home"};
      if (after) {
        q.after = core::Keyset{sort == core::SortKey::title ? core::Keyset{std::string{"m"}, 5}.key
                                                            : core::Keyset{std::int64_t{5}, 5}.key,
                               5};
      }
      const auto built = build_task_walk(q, k_walk_rows);
      std::string sql = "PREPARE plan_q AS " + built.sql;
      schema_->exec(sql);
      std::string args;
      for (const auto& p : built.params) {
        if (!args.empty()) args += ", ";
        std::string quoted = "'";
        for (char c : *p) quoted += c == '\'' ? std::string{"''"} : std::string{c};
        args += quoted + "'";
      }
      const auto plan = schema_->exec("EXPLAIN (FORMAT JSON) EXECUTE plan_q(" + args + ")");
      schema_->exec("DEALLOCATE plan_q");
      EXPECT_EQ(plan.find("Sort\""), std::string::npos) << plan;  // Sort, Incremental Sort
      EXPECT_NE(plan.find(tagged ? "task_tags_by_" : "tasks_by_"), std::string::npos) << plan;
    }
  }
}

}  // namespace
}  // namespace tickler::store::postgres
