// The Store contract, run against every engine: what the SQLite store does, the PostgreSQL
// store does too. The PostgreSQL runs need TICKLER_TEST_PG_URL (a database in which the test
// may create schemas; each test gets its own) and skip without it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>
#include <thread>
#include <variant>

#include "core/validation.hpp"
#include "store/postgres/pg_test_support.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tickler::store {
namespace {

using core::from_millis;

enum class Engine { sqlite, postgres };

std::string engine_name(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::sqlite ? "sqlite" : "postgres";
}

// The name gtest looks for, so test names show the engine rather than its bytes.
void PrintTo(Engine engine, std::ostream* os) {  // NOLINT(readability-identifier-naming)
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

INSTANTIATE_TEST_SUITE_P(Engines, StoreContract,
                         ::testing::Values(Engine::sqlite, Engine::postgres), engine_name);

TEST_P(StoreContract, MigrationsApplyOnce) {
  auto again = store_->migrate();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_TRUE(store_->ping());
  EXPECT_GE(store_->pool_stats().size, 1);
}

TEST_P(StoreContract, DuplicateEmailIsAConflict) {
  auto dup = store_->write_value([&](Writer& w) {
    return w.insert_user({0, "alice@example.com", "", "h", core::now()});
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::Errc::conflict);
  auto found = store_->read_value([&](Reader& r) { return r.user_by_email("alice@example.com"); });
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, alice_);
  auto by_id = store_->read_value([&](Reader& r) { return r.user_by_id(bob_); });
  ASSERT_TRUE(by_id && *by_id);
  EXPECT_EQ((*by_id)->email, "bob@example.com");
  auto none = store_->read_value([&](Reader& r) { return r.user_by_email("eve@example.com"); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(StoreContract, TasksRoundTripAndStayWithTheirOwner) {
  auto t = add_task(alice_, "Pay rent", {"home", "money"}, 1'800'000'000'000, 5, [](auto& task) {
    task.description = "before the 3rd\nsecond line";
    task.priority = core::Priority::high;
    task.time_zone = "Europe/Berlin";
    task.reminders = {{30, std::nullopt}, {std::nullopt, from_millis(1'799'000'000'000)}};
    task.recurrence = core::Recurrence{"FREQ=MONTHLY", core::RecurrenceMode::completion};
    task.series_start = from_millis(1'800'000'000'000);
  });
  EXPECT_EQ(t.series_id, t.id);  // a new recurring task starts its series
  auto got = store_->read_value([&](Reader& r) { return r.task(alice_, t.id); });
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->title, "Pay rent");
  EXPECT_EQ(got->description, "before the 3rd\nsecond line");
  EXPECT_EQ(got->priority, core::Priority::high);
  EXPECT_EQ(got->status, core::TaskStatus::pending);
  EXPECT_EQ(got->tags, (std::vector<std::string>{"home", "money"}));
  EXPECT_EQ(got->due_at, from_millis(1'800'000'000'000));
  EXPECT_EQ(got->time_zone, "Europe/Berlin");
  EXPECT_EQ(got->created_at, from_millis(5));
  EXPECT_EQ(got->reminders, t.reminders);
  EXPECT_EQ(got->recurrence, t.recurrence);
  EXPECT_EQ(got->series_id, t.id);
  EXPECT_EQ(got->series_start, from_millis(1'800'000'000'000));
  EXPECT_EQ(got->occurrence_index, 0);
  EXPECT_EQ(got->version, 1);

  got->status = core::TaskStatus::completed;
  got->completed_at = from_millis(77);
  got->tags = {};
  got->version = 2;
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.update_task(*got); }));
  auto again = store_->read_value([&](Reader& r) { return r.task(alice_, t.id); });
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, core::TaskStatus::completed);
  EXPECT_EQ(again->completed_at, from_millis(77));
  EXPECT_TRUE(again->tags.empty());
  EXPECT_EQ(again->version, 2);

  auto other = store_->read_value([&](Reader& r) { return r.task(bob_, t.id); });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::Errc::not_found);
  auto as_bob = *again;
  as_bob.user_id = bob_;
  auto update = store_->write([&](Writer& w) { return w.update_task(as_bob); });
  ASSERT_FALSE(update);
  EXPECT_EQ(update.error().code, core::Errc::not_found);
  auto del = store_->write([&](Writer& w) { return w.delete_task(bob_, t.id); });
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().code, core::Errc::not_found);
  EXPECT_TRUE(store_->write([&](Writer& w) { return w.delete_task(alice_, t.id); }));
}

TEST_P(StoreContract, FailedWriteRollsBack) {
  auto st = store_->write([&](Writer& w) -> core::Status {
    core::TaskDraft doomed;
    doomed.title = "doomed";
    auto t = w.insert_task(core::make_task(alice_, doomed, core::now()));
    if (!t) return t.error();
    return core::make_error(core::Errc::validation_failed, "changed my mind");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::Errc::validation_failed);
  core::TaskQuery q;
  q.user_id = alice_;
  EXPECT_TRUE(all_pages(q).empty());
}

TEST_P(StoreContract, UpdateReplacesTagsAndSearchIndex) {
  auto t = add_task(alice_, "Pay rent", {"home"});
  t.title = "Water plants";
  t.tags = {"garden"};
  ++t.version;
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.update_task(t); }));
  EXPECT_TRUE(search({"rent"}).empty());
  EXPECT_EQ(search({"plan"}), std::set<core::TaskId>{t.id});
  EXPECT_EQ(search({"gard"}), std::set<core::TaskId>{t.id});
  auto tags = store_->read_value([&](Reader& r) { return r.tag_counts(alice_); });
  ASSERT_TRUE(tags);
  ASSERT_EQ(tags->size(), 1U);
  EXPECT_EQ((*tags)[0].tag, "garden");
}

TEST_P(StoreContract, SearchTakesUserInputLiterally) {
  add_task(alice_, "Say \"hello\" AND goodbye");
  core::TaskQuery q;
  q.user_id = alice_;
  for (const char* w : {"\"", "'", "AND", "OR", "NEAR(", "*", "hel\"lo", "-x", ":", "\\", "!", "&",
                        "|", "<->", "a:*", "(", "'a' & 'b'"}) {
    q.words = {w};
    auto page = store_->read_value([&](Reader& r) { return r.tasks(q); });
    EXPECT_TRUE(page) << w << ": " << (page ? "" : page.error().message);
  }
  q.words = {"HELLO", "good"};
  EXPECT_EQ(all_pages(q).size(), 1U);
  // Bytes that are not UTF-8 (a query string may carry them) break nothing: words go through
  // the one tokenizer both engines share; a tag that cannot exist finds nothing.
  q.words = {"\xff", "hel\xc3"};
  auto page = store_->read_value([&](Reader& r) { return r.tasks(q); });
  EXPECT_TRUE(page) << page.error().message;
  q.words = {};
  q.tags = {"\xff"};
  EXPECT_TRUE(all_pages(q).empty());
}

// Words are cut and folded alike: diacritics, e-mail addresses, URLs, numbers, hyphens,
// underscores, scripts without spaces; a word of several tokens is a phrase within one field.
TEST_P(StoreContract, SearchMatchesWordsAndPrefixesAlike) {
  const auto cafe = add_task(alice_, "Café au lait", {"drinks"}).id;
  const auto mail = add_task(alice_, "Mail alice@example.com", {}, {}, 0, [](auto& t) {
                      t.description = "about v1.2.3 and 3.14";
                    }).id;
  const auto team = add_task(alice_, "E-mail the über team", {"work"}).id;
  const auto nihon = add_task(alice_, "日本語のテスト").id;
  const auto hello =
      add_task(alice_, "Say \"hello\" AND goodbye", {"home", "money"}, {}, 0, [](auto& t) {
        t.description = "see https://example.org/path_to/file.txt";
      }).id;
  add_task(bob_, "Café for bob");
  using Ids = std::set<core::TaskId>;
  const std::vector<std::pair<std::vector<std::string>, Ids>> cases = {
      {{"cafe"}, {cafe}},
      {{"CAFÉ"}, {cafe}},
      {{"caf"}, {cafe}},
      {{"example"}, {mail, hello}},
      {{"alice@example"}, {mail}},
      {{"3.1"}, {mail}},
      {{"v1"}, {mail}},
      {{"mail"}, {mail, team}},
      {{"e-mail"}, {team}},
      {{"uber"}, {team}},
      {{"ÜBER"}, {team}},
      {{"日本"}, {nihon}},
      {{"テスト"}, {}},
      {{"home", "money"}, {hello}},
      {{"goodbye-see"}, {}},  // a phrase does not span title and description
      {{"hello-and"}, {hello}},
      {{"path_to"}, {hello}},
      {{"txt"}, {hello}},
      {{"drinks", "cafe"}, {cafe}},
      {{"drinks", "zzz"}, {}},
      {{"*"}, {}},
      {{"*", "cafe"}, {cafe}},  // a word without letters or digits is left out
      {{"-", "--"}, {}},
  };
  for (const auto& [words, want] : cases) {
    std::string label;
    for (const auto& w : words) label += "[" + w + "]";
    EXPECT_EQ(search(words), want) << label;
  }
}

TEST_P(StoreContract, KeysetPaginationNeitherRepeatsNorSkipsWhileInserting) {
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

// SQLite's NOCASE: ASCII letters folded, every other byte as it is.
std::string nocase(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Every sort and filter gives the same rows in the same order, ties broken by id.
TEST_P(StoreContract, SortsAndFiltersAgree) {
  struct Spec {
    const char* title;
    core::Priority priority;
    std::vector<std::string> tags;
    std::optional<std::int64_t> due;
    bool done;
  };
  const std::vector<Spec> specs = {
      {"apple", core::Priority::low, {"a"}, 3'000, false},
      {"Banana", core::Priority::high, {"a", "b"}, {}, true},
      {"banana", core::Priority::none, {"b"}, 1'000, false},
      {"_under", core::Priority::medium, {}, 2'000, false},
      {"Zebra", core::Priority::high, {"b", "a"}, 1'000, false},
      {"éclair", core::Priority::low, {"c"}, {}, true},
      {"Éclair", core::Priority::none, {}, 5'000, false},
      {"apple pie", core::Priority::high, {"a"}, 2'000, true},
      {"APPLE", core::Priority::medium, {"b"}, {}, false},
      {"[bracket]", core::Priority::low, {"a", "b", "c"}, 4'000, false},
  };
  std::vector<core::Task> tasks;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    tasks.push_back(add_task(alice_, s.title, s.tags, s.due, static_cast<std::int64_t>((i * 7) % 4),
                             [&](core::Task& t) {
                               t.priority = s.priority;
                               if (s.done) {
                                 t.status = core::TaskStatus::completed;
                                 t.completed_at = from_millis(9);
                               }
                             }));
  }
  add_task(bob_, "apple", {"a"}, 1'000);

  auto expected = [&](const core::TaskQuery& q) {
    std::vector<core::Task> out;
    for (const auto& t : tasks) {
      if (q.status && t.status != *q.status) continue;
      if (!q.priorities.empty() &&
          std::find(q.priorities.begin(), q.priorities.end(), t.priority) == q.priorities.end()) {
        continue;
      }
      if (!std::all_of(q.tags.begin(), q.tags.end(), [&](const auto& tag) {
            return std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end();
          })) {
        continue;
      }
      if (q.due_after && !(t.due_at && *t.due_at >= *q.due_after)) continue;
      if (q.due_before && !(t.due_at && *t.due_at < *q.due_before)) continue;
      if (q.has_due && t.due_at.has_value() != *q.has_due) continue;
      out.push_back(t);
    }
    auto key = [&](const core::Task& t) -> std::variant<std::int64_t, std::string> {
      switch (q.sort) {
        case core::SortKey::due:
          return t.due_at ? core::to_millis(*t.due_at) : std::numeric_limits<std::int64_t>::max();
        case core::SortKey::priority:
          return static_cast<std::int64_t>(t.priority);
        case core::SortKey::title:
          return nocase(t.title);
        case core::SortKey::created:
          return core::to_millis(t.created_at);
      }
      return std::int64_t{0};
    };
    std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
      const auto ka = std::make_pair(key(a), a.id);
      const auto kb = std::make_pair(key(b), b.id);
      return q.order == core::SortOrder::asc ? ka < kb : kb < ka;
    });
    std::vector<core::TaskId> ids;
    for (const auto& t : out) ids.push_back(t.id);
    return ids;
  };

  std::vector<std::function<void(core::TaskQuery&)>> filters = {
      [](auto&) {},
      [](auto& q) { q.status = core::TaskStatus::pending; },
      [](auto& q) { q.status = core::TaskStatus::completed; },
      [](auto& q) {
        q.priorities = {core::Priority::high, core::Priority::low};
      },
      [](auto& q) { q.tags = {"a"}; },
      [](auto& q) {
        q.tags = {"a", "b"};
      },
      [](auto& q) { q.tags = {"nope"}; },
      [](auto& q) { q.due_after = from_millis(2'000); },
      [](auto& q) { q.due_before = from_millis(3'000); },
      [](auto& q) { q.has_due = false; },
      [](auto& q) {
        q.has_due = true;
        q.status = core::TaskStatus::pending;
      },
      [](auto& q) {
        q.due_after = from_millis(1'000);
        q.due_before = from_millis(4'001);
        q.status = core::TaskStatus::pending;
        q.tags = {"b"};
      },
  };
  for (std::size_t f = 0; f < filters.size(); ++f) {
    for (auto sort : {core::SortKey::due, core::SortKey::priority, core::SortKey::title,
                      core::SortKey::created}) {
      for (auto order : {core::SortOrder::asc, core::SortOrder::desc}) {
        core::TaskQuery q;
        q.user_id = alice_;
        q.sort = sort;
        q.order = order;
        q.limit = 3;
        filters[f](q);
        EXPECT_EQ(all_pages(q), expected(q)) << "filter " << f << ", sort " << core::to_string(sort)
                                             << " " << core::to_string(order);
      }
    }
  }
}

TEST_P(StoreContract, TagCountsByCountThenTagBytes) {
  add_task(alice_, "one", {"zeta", "émoi", "alpha"});
  add_task(alice_, "two", {"zeta", "beta"});
  add_task(alice_, "three", {"émoi", "beta", "alpha"});
  add_task(bob_, "bob's", {"zeta"});
  auto tags = store_->read_value([&](Reader& r) { return r.tag_counts(alice_); });
  ASSERT_TRUE(tags);
  std::vector<std::pair<std::string, std::int64_t>> got;
  for (const auto& t : *tags) got.emplace_back(t.tag, t.count);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::int64_t>>{
                     {"alpha", 2}, {"beta", 2}, {"zeta", 2}, {"émoi", 2}}));
}

TEST_P(StoreContract, OccurrenceKeyIsUniqueAndSeriesContinue) {
  auto first = add_task(alice_, "Standup", {}, 1'800'000'000'000, 0, [](auto& t) {
    t.recurrence = core::Recurrence{"FREQ=DAILY", core::RecurrenceMode::schedule};
    t.series_start = from_millis(1'800'000'000'000);
  });
  ASSERT_EQ(first.series_id, first.id);
  auto occurrence = [&](int index) {
    return [&, index](core::Task& t) {
      t.recurrence = first.recurrence;
      t.series_id = first.id;
      t.series_start = first.series_start;
      t.occurrence_index = index;
    };
  };
  auto second = add_task(alice_, "Standup", {}, 1'800'086'400'000, 0, occurrence(1));
  EXPECT_EQ(second.series_id, first.id);
  core::TaskDraft d;
  d.title = "Standup";
  auto dup = core::make_task(alice_, d, core::now());
  occurrence(1)(dup);
  auto again = store_->write_value([&](Writer& w) { return w.insert_task(dup); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::conflict);

  auto next = store_->read_value([&](Reader& r) { return r.next_in_series(alice_, first.id, 0); });
  ASSERT_TRUE(next && *next);
  EXPECT_EQ((*next)->id, second.id);
  EXPECT_EQ((*next)->occurrence_index, 1);
  auto none = store_->read_value([&](Reader& r) { return r.next_in_series(alice_, first.id, 1); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto not_bobs =
      store_->read_value([&](Reader& r) { return r.next_in_series(bob_, first.id, 0); });
  ASSERT_TRUE(not_bobs);
  EXPECT_FALSE(*not_bobs);
}

TEST_P(StoreContract, IdempotentResponsesExpireAndAreReplaced) {
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.save_idempotent_response(alice_, "k1", {"h1", 201, "{\"a\":1}"}, from_millis(1'000));
  }));
  auto get = [&](core::UserId user, const char* key, std::int64_t not_before) {
    return store_->read_value(
        [&](Reader& r) { return r.idempotent_response(user, key, from_millis(not_before)); });
  };
  auto hit = get(alice_, "k1", 1'000);
  ASSERT_TRUE(hit && *hit);
  EXPECT_EQ((*hit)->request_hash, "h1");
  EXPECT_EQ((*hit)->status, 201);
  EXPECT_EQ((*hit)->body, "{\"a\":1}");
  EXPECT_FALSE(*get(alice_, "k1", 1'001));  // too old
  EXPECT_FALSE(*get(bob_, "k1", 0));        // someone else's key
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.save_idempotent_response(alice_, "k1", {"h2", 200, "b"}, from_millis(2'000));
  }));
  EXPECT_EQ((*get(alice_, "k1", 0))->request_hash, "h2");
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.purge_idempotency(from_millis(2'001)); }));
  EXPECT_FALSE(*get(alice_, "k1", 0));
}

OutboxRow event(const std::string& topic, core::UserId user, std::int64_t at_ms) {
  OutboxRow row;
  row.topic = topic;
  row.type = "tickler.task.created.v1";
  row.source = "/tickler/api";
  row.subject = "42";
  row.user_id = user;
  row.data = R"({"task_id": 42,  "note": "spaces kept"})";
  row.created_at = from_millis(at_ms);
  return row;
}

TEST_P(StoreContract, OutboxRowsAreMarkedSentTogether) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto id = store_->write_value(
        [&](Writer& w) { return w.append_outbox(event("task-events", alice_, 10 + i)); });
    ASSERT_TRUE(id) << id.error().message;
    ids.push_back(*id);
  }
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.mark_outbox_sent({ids[0], ids[2]}, from_millis(99));
  }));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.mark_outbox_sent({}, from_millis(99)); }));
  auto unsent = store_->read_value([&](Reader& r) { return r.unsent_outbox(10); });
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 1U);
  EXPECT_EQ((*unsent)[0].id, ids[1]);
  auto backlog = store_->read_value([&](Reader& r) { return r.outbox_backlog(); });
  ASSERT_TRUE(backlog);
  EXPECT_EQ(backlog->pending, 1);
  EXPECT_EQ(backlog->oldest, from_millis(11));
  ASSERT_TRUE(
      store_->write([&](Writer& w) { return w.mark_outbox_sent({ids[1]}, from_millis(99)); }));
  backlog = store_->read_value([&](Reader& r) { return r.outbox_backlog(); });
  ASSERT_TRUE(backlog);
  EXPECT_EQ(backlog->pending, 0);
  EXPECT_FALSE(backlog->oldest);
}

TEST_P(StoreContract, OutboxKeepsOrderUntilSent) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto id = store_->write_value(
        [&](Writer& w) { return w.append_outbox(event("task-events", alice_, 10 + i)); });
    ASSERT_TRUE(id) << id.error().message;
    ids.push_back(*id);
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    if (auto st = w.mark_outbox_failed(ids[0], "broker down"); !st) return st;
    if (auto st = w.mark_outbox_failed(ids[0], "broker down"); !st) return st;
    return w.mark_outbox_sent({ids[1]}, from_millis(99));
  }));
  auto unsent = store_->read_value([&](Reader& r) { return r.unsent_outbox(10); });
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 2U);
  EXPECT_EQ((*unsent)[0].id, ids[0]);
  EXPECT_EQ((*unsent)[0].attempts, 2);
  EXPECT_EQ((*unsent)[0].data, R"({"task_id": 42,  "note": "spaces kept"})");
  EXPECT_EQ((*unsent)[0].created_at, from_millis(10));
  EXPECT_EQ((*unsent)[0].cloud_event_id(), std::to_string(ids[0]));
  EXPECT_FALSE((*unsent)[0].target);
  EXPECT_EQ((*unsent)[1].id, ids[2]);
  auto one = store_->read_value([&](Reader& r) { return r.unsent_outbox(1); });
  ASSERT_TRUE(one);
  EXPECT_EQ(one->size(), 1U);
}

TEST_P(StoreContract, DeadLettersRedriveToTheirSubscriberWithTheirIds) {
  for (int i = 0; i < 3; ++i) {
    DeadLetter d;
    d.subscriber = i == 2 ? "notifier" : "auditor";
    d.event = event("task-events", alice_, 5);
    d.event.event_id = "ev-" + std::to_string(i);
    d.error = "poison " + std::to_string(i);
    d.created_at = from_millis(100 + i);
    ASSERT_TRUE(store_->write([&](Writer& w) { return w.insert_dead_letter(d); }));
  }
  auto letters = store_->read_value([&](Reader& r) { return r.dead_letters(false, 10); });
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 3U);
  EXPECT_EQ((*letters)[0].event.cloud_event_id(), "ev-2");  // newest first
  EXPECT_EQ((*letters)[0].subscriber, "notifier");
  EXPECT_EQ((*letters)[2].error, "poison 0");
  EXPECT_EQ((*letters)[2].created_at, from_millis(100));
  EXPECT_FALSE((*letters)[2].redriven_at);

  const auto oldest = (*letters)[2].id;
  auto one = store_->write_value(
      [&](Writer& w) { return w.redrive_dead_letters(oldest, from_millis(200)); });
  ASSERT_TRUE(one);
  EXPECT_EQ(*one, 1);
  auto rest = store_->write_value(
      [&](Writer& w) { return w.redrive_dead_letters(std::nullopt, from_millis(300)); });
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, 2);
  auto none = store_->write_value(
      [&](Writer& w) { return w.redrive_dead_letters(std::nullopt, from_millis(400)); });
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);

  auto unsent = store_->read_value([&](Reader& r) { return r.unsent_outbox(10); });
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 3U);
  EXPECT_EQ((*unsent)[0].cloud_event_id(), "ev-0");
  EXPECT_EQ((*unsent)[0].target, "auditor");
  EXPECT_EQ((*unsent)[0].created_at, from_millis(200));
  EXPECT_EQ((*unsent)[1].cloud_event_id(), "ev-1");
  EXPECT_EQ((*unsent)[2].cloud_event_id(), "ev-2");
  EXPECT_EQ((*unsent)[2].target, "notifier");

  auto open = store_->read_value([&](Reader& r) { return r.dead_letters(false, 10); });
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
  auto all = store_->read_value([&](Reader& r) { return r.dead_letters(true, 2); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[1].redriven_at, from_millis(300));
}

TEST_P(StoreContract, AnEventIsProcessedOncePerConsumer) {
  auto mark = [&](const char* consumer, const char* id) {
    return store_->write_value(
        [&](Writer& w) { return w.mark_processed(consumer, id, from_millis(1)); });
  };
  EXPECT_TRUE(*mark("auditor", "17"));
  EXPECT_FALSE(*mark("auditor", "17"));
  EXPECT_TRUE(*mark("notifier", "17"));
  // Rolled back with the effect it belonged to: the event counts as unprocessed.
  auto st = store_->write([&](Writer& w) -> core::Status {
    auto fresh = w.mark_processed("auditor", "18", from_millis(1));
    if (!fresh) return fresh.error();
    return core::make_error(core::Errc::unavailable, "effect failed");
  });
  EXPECT_FALSE(st);
  EXPECT_TRUE(*mark("auditor", "18"));
}

AuditEntry entry(core::UserId user, core::TaskId task, const std::string& event_id,
                 const std::string& prev) {
  return {0,
          event_id,
          user,
          task,
          "user:1",
          "tickler.task.updated.v1",
          R"({"title": {"before": "a", "after": "b"}})",
          from_millis(1'000),
          "req-1",
          prev,
          prev + "+" + event_id};
}

TEST_P(StoreContract, AuditChainsAndTheirHeads) {
  auto append = [&](const AuditEntry& e) {
    return store_->write_value([&](Writer& w) { return w.append_audit(e); });
  };
  auto a1 = append(entry(alice_, 7, "e1", "genesis"));
  auto b1 = append(entry(bob_, 9, "e2", "genesis"));
  auto a2 = append(entry(alice_, 8, "e3", "genesis+e1"));
  auto a3 = append(entry(alice_, 7, "e4", "genesis+e1+e3"));
  ASSERT_TRUE(a1 && b1 && a2 && a3) << (a3 ? "" : a3.error().message);
  auto dup = append(entry(alice_, 7, "e4", "genesis+e1+e3+e4"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::Errc::conflict);  // event ids are unique

  auto history = store_->read_value([&](Reader& r) { return r.audit_history(alice_, 7); });
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[0].id, *a1);
  EXPECT_EQ((*history)[0].changes, R"({"title": {"before": "a", "after": "b"}})");
  EXPECT_EQ((*history)[0].at, from_millis(1'000));
  EXPECT_EQ((*history)[0].request_id, "req-1");
  EXPECT_EQ((*history)[1].hash, "genesis+e1+e3+e4");

  std::vector<std::string> walk;
  ASSERT_TRUE(store_->read([&](Reader& r) {
    return r.for_each_audit_entry([&](const AuditEntry& e) -> core::Status {
      walk.push_back(e.event_id);
      return {};
    });
  }));
  EXPECT_EQ(walk, (std::vector<std::string>{"e1", "e3", "e4", "e2"}));  // (user, id) order
  auto stopped = store_->read([&](Reader& r) {
    return r.for_each_audit_entry([&](const AuditEntry&) -> core::Status {
      return core::make_error(core::Errc::internal, "stop");
    });
  });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "stop");

  auto heads = store_->read_value([&](Reader& r) { return r.audit_heads(); });
  ASSERT_TRUE(heads);
  ASSERT_EQ(heads->size(), 2U);
  EXPECT_EQ((*heads)[0].user_id, alice_);
  EXPECT_EQ((*heads)[0].last_id, *a3);
  EXPECT_EQ((*heads)[0].hash, "genesis+e1+e3+e4");
  EXPECT_EQ((*heads)[0].entries, 3);
  auto head = store_->read_value([&](Reader& r) { return r.audit_head(bob_); });
  ASSERT_TRUE(head && *head);
  EXPECT_EQ((*head)->entries, 1);
  auto none = store_->read_value([&](Reader& r) { return r.audit_head(12345); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

ReminderRow reminder(const std::string& id, std::int64_t remind_ms) {
  return {id,
          5,
          1,
          "Pay rent",
          from_millis(remind_ms + 60'000),
          from_millis(remind_ms),
          "scheduled",
          std::nullopt};
}

TEST_P(StoreContract, RemindersFireOnceAndNeverEarly) {
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    for (auto& r : {reminder("r1", 1'000), reminder("r2", 2'000), reminder("r3", 3'000)}) {
      if (auto st = w.upsert_reminder(r); !st) return st;
    }
    return {};
  }));
  auto fire = [&](const char* id, std::int64_t at) {
    return store_->write_value([&](Writer& w) { return w.fire_reminder(id, from_millis(at)); });
  };
  auto early = fire("r2", 1'999);
  ASSERT_TRUE(early);
  EXPECT_FALSE(*early);
  auto fired = fire("r2", 2'000);
  ASSERT_TRUE(fired && *fired);
  EXPECT_EQ((*fired)->state, "fired");
  EXPECT_EQ((*fired)->fired_at, from_millis(2'000));
  EXPECT_EQ((*fired)->due_at, from_millis(62'000));
  EXPECT_EQ((*fired)->title, "Pay rent");
  EXPECT_FALSE(*fire("r2", 5'000));  // once
  EXPECT_FALSE(*fire("nope", 5'000));

  auto cancel = [&](const char* id) {
    return store_->write_value([&](Writer& w) { return w.cancel_reminder(id); });
  };
  EXPECT_TRUE(*cancel("r3"));
  EXPECT_FALSE(*cancel("r3"));
  EXPECT_FALSE(*cancel("r2"));  // fired stays fired
  EXPECT_FALSE(*fire("r3", 5'000));

  // Rescheduling revives a cancelled reminder but never a fired one.
  auto moved = reminder("r2", 4'000);
  moved.title = "Pay the rent";
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    if (auto st = w.upsert_reminder(moved); !st) return st;
    return w.upsert_reminder(reminder("r3", 500));
  }));
  auto r2 = store_->read_value([&](Reader& r) { return r.reminder("r2"); });
  ASSERT_TRUE(r2 && *r2);
  EXPECT_EQ((*r2)->state, "fired");
  EXPECT_EQ((*r2)->title, "Pay the rent");
  EXPECT_EQ((*r2)->remind_at, from_millis(4'000));

  auto due = store_->read_value([&](Reader& r) { return r.due_reminders(from_millis(1'000), 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2U);
  EXPECT_EQ((*due)[0].id, "r3");  // oldest first
  EXPECT_EQ((*due)[1].id, "r1");
  auto limited =
      store_->read_value([&](Reader& r) { return r.due_reminders(from_millis(9'000), 1); });
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->size(), 1U);
  auto scheduled = store_->read_value([&](Reader& r) { return r.scheduled_reminders(); });
  ASSERT_TRUE(scheduled);
  ASSERT_EQ(scheduled->size(), 2U);
  EXPECT_FALSE((*scheduled)[0].fired_at);
  auto missing = store_->read_value([&](Reader& r) { return r.reminder("nope"); });
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

TEST_P(StoreContract, NotificationsWebhooksAndDeliveries) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    NotificationRow n{0,
                      alice_,
                      5,
                      "r" + std::to_string(i),
                      "Pay rent",
                      from_millis(10),
                      from_millis(20 + i),
                      std::nullopt};
    auto id = store_->write_value([&](Writer& w) { return w.insert_notification(n); });
    ASSERT_TRUE(id) << id.error().message;
    ids.push_back(*id);
  }
  auto dup = store_->write_value([&](Writer& w) {
    return w.insert_notification({0, alice_, 5, "r0", "again", from_millis(1), from_millis(2), {}});
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::Errc::conflict);  // one notification per reminder

  auto read = [&](core::UserId user, std::int64_t id) {
    return store_->write_value(
        [&](Writer& w) { return w.mark_notification_read(user, id, from_millis(50)); });
  };
  EXPECT_FALSE(*read(bob_, ids[1]));
  EXPECT_TRUE(*read(alice_, ids[1]));
  auto list = [&](bool unread, int limit, std::optional<std::int64_t> before) {
    auto got = store_->read_value(
        [&](Reader& r) { return r.notifications(alice_, unread, limit, before); });
    EXPECT_TRUE(got);
    std::vector<std::int64_t> out;
    for (const auto& n : *got) out.push_back(n.id);
    return out;
  };
  EXPECT_EQ(list(false, 10, std::nullopt), (std::vector<std::int64_t>{ids[2], ids[1], ids[0]}));
  EXPECT_EQ(list(true, 10, std::nullopt), (std::vector<std::int64_t>{ids[2], ids[0]}));
  EXPECT_EQ(list(false, 1, ids[2]), (std::vector<std::int64_t>{ids[1]}));
  auto one = store_->read_value([&](Reader& r) { return r.notifications(alice_, false, 10, {}); });
  ASSERT_TRUE(one);
  EXPECT_EQ((*one)[1].read_at, from_millis(50));
  EXPECT_EQ((*one)[0].fired_at, from_millis(22));
  EXPECT_EQ((*one)[0].reminder_id, "r2");

  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.set_webhook({alice_, "https://a.example/hook", "s1", from_millis(1)});
  }));
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.set_webhook({alice_, "https://b.example/hook", "s2", from_millis(2)});
  }));
  auto hook = store_->read_value([&](Reader& r) { return r.webhook(alice_); });
  ASSERT_TRUE(hook && *hook);
  EXPECT_EQ((*hook)->url, "https://b.example/hook");
  EXPECT_EQ((*hook)->secret, "s2");
  EXPECT_EQ((*hook)->created_at, from_millis(2));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_webhook(alice_); }));
  EXPECT_FALSE(*store_->read_value([&](Reader& r) { return r.webhook(alice_); }));

  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    if (auto st = w.upsert_delivery({"r0", "webhook", "pending", 0, {}, from_millis(30), {}}); !st)
      return st;
    if (auto st = w.upsert_delivery({"r1", "webhook", "pending", 0, {}, from_millis(10), {}}); !st)
      return st;
    if (auto st = w.upsert_delivery({"r1", "in_app", "delivered", 1, {}, {}, from_millis(5)}); !st)
      return st;
    return w.upsert_delivery({"r0", "webhook", "pending", 2, "HTTP 500", from_millis(40), {}});
  }));
  auto pending =
      store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(40), 10); });
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 2U);
  EXPECT_EQ((*pending)[0].reminder_id, "r1");
  EXPECT_EQ((*pending)[1].reminder_id, "r0");
  EXPECT_EQ((*pending)[1].attempts, 2);
  EXPECT_EQ((*pending)[1].last_error, "HTTP 500");
  EXPECT_EQ((*pending)[1].next_attempt, from_millis(40));
  EXPECT_FALSE((*pending)[1].delivered_at);
  auto early =
      store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(39), 10); });
  ASSERT_TRUE(early);
  EXPECT_EQ(early->size(), 1U);
}

// A read sees one snapshot: a write committed in the middle of it is not seen.
TEST_P(StoreContract, AReadSeesOneSnapshot) {
  add_task(alice_, "first");
  std::size_t before = 0;
  std::size_t after = 0;
  ASSERT_TRUE(store_->read([&](Reader& r) -> core::Status {
    core::TaskQuery q;
    q.user_id = alice_;
    auto a = r.tasks(q);
    if (!a) return a.error();
    before = a->items.size();
    std::thread{[&] { add_task(alice_, "second"); }}.join();
    auto b = r.tasks(q);
    if (!b) return b.error();
    after = b->items.size();
    return {};
  }));
  EXPECT_EQ(before, 1U);
  EXPECT_EQ(after, 1U);
}

}  // namespace
}  // namespace tickler::store
