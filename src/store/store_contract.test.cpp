// The Store contract, run against every engine (store_contract.hpp): users, tasks, search,
// sorting and paging, occurrences and idempotent responses. What the SQLite store does, the
// PostgreSQL store does too.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <set>
#include <thread>
#include <variant>

#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

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

}  // namespace
}  // namespace tickler::store::contract
