// task_words (migrations/postgres/api/0008) holds exactly each task's lexemes, whatever writes the
// tasks, and a search reads it in bounded steps: a walk along a word's entries in created order,
// counts that stop at their cap in the other orders, however many recent tasks lack the word.
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

class PgWordsTest : public PgListingFixture {
 protected:
  core::Task add(core::UserId user, const std::string& title, std::int64_t created,
                 const std::string& description = {}) {
    core::TaskDraft d;
    d.title = title;
    d.description = description;
    auto t = store_->write_value(
        [&](Writer& w) { return w.insert_task(core::make_task(user, d, from_millis(created))); });
    EXPECT_TRUE(t) << t.error().message;
    return *t;
  }

  // The rows task_words lacks and the rows it holds beyond each task's lexemes (0 and 0 when it
  // matches the tasks).
  std::string mismatch() {
    return schema_->exec(
        "SELECT (SELECT count(*) FROM tasks t, unnest(tsvector_to_array(t.search)) w(word) "
        "WHERE NOT EXISTS (SELECT FROM task_words x WHERE x.user_id = t.user_id AND x.word = "
        "w.word AND x.created_at = t.created_at AND x.task_id = t.id)) || ' ' || (SELECT "
        "count(*) FROM task_words x WHERE NOT EXISTS (SELECT FROM tasks t WHERE t.id = "
        "x.task_id AND t.user_id = x.user_id AND t.created_at = x.created_at AND x.word = ANY "
        "(tsvector_to_array(t.search))))");
  }
};

TEST_F(PgWordsTest, TheWordTableMatchesTheTasks) {
  auto pay = add(alice_, "Pay the rent", 1, "Café on the corner");
  auto call = add(alice_, "Call mom", 2);
  add(bob_, "Pay the rent", 1);
  EXPECT_EQ(schema_->exec("SELECT count(*) FROM task_words"), "11");  // 6 + 2 + 3 (bob's)
  EXPECT_EQ(mismatch(), "0 0");

  // Title and description edits: the words lost go, the words gained come.
  pay.title = "Pay the plumber";
  pay.description = "cafe again";
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.update_task(pay); }));
  EXPECT_EQ(mismatch(), "0 0");
  EXPECT_EQ(schema_->exec("SELECT string_agg(word, ' ' ORDER BY word) FROM task_words WHERE "
                          "task_id = " +
                          std::to_string(pay.id)),
            "again cafe pay plumber the");

  // A completion writes no word rows (the trigger does not run: the vector is the same).
  schema_->exec("CREATE TABLE word_writes (n int)");
  schema_->exec(
      "CREATE FUNCTION count_word_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "INSERT INTO word_writes VALUES (1); RETURN NULL; END $$");
  schema_->exec(
      "CREATE TRIGGER count_word_writes AFTER INSERT OR DELETE ON task_words FOR EACH ROW "
      "EXECUTE FUNCTION count_word_write()");
  call.status = core::TaskStatus::completed;
  call.completed_at = from_millis(9);
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.update_task(call); }));
  EXPECT_EQ(schema_->exec("SELECT count(*) FROM word_writes"), "0");
  call.title = "Call dad";  // one word out, one in
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.update_task(call); }));
  EXPECT_EQ(schema_->exec("SELECT count(*) FROM word_writes"), "2");
  EXPECT_EQ(mismatch(), "0 0");

  // Written in SQL, by another owner or time, and deleted.
  schema_->exec("UPDATE tasks SET created_at = 77 WHERE id = " + std::to_string(call.id));
  schema_->exec("UPDATE tasks SET user_id = " + std::to_string(bob_) +
                " WHERE id = " + std::to_string(pay.id));
  EXPECT_EQ(mismatch(), "0 0");
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_task(alice_, call.id); }));
  EXPECT_EQ(mismatch(), "0 0");
  EXPECT_EQ(
      schema_->exec("SELECT count(*) FROM task_words WHERE task_id = " + std::to_string(call.id)),
      "0");
  schema_->exec("DELETE FROM tasks");
  EXPECT_EQ(schema_->exec("SELECT count(*) FROM task_words"), "0");
}

// Many recent tasks without the word ahead of older ones with it: in created order the walk
// reads the word's entries (the recent tasks are not read), in another order the count of the
// word's set is an index-only scan that stops at the cap + 1; the pages are the sort index
// walk's either way.
TEST_F(PgWordsTest, RecentTasksWithoutTheWordCostNothing) {
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    for (int i = 0; i < 6'000; ++i) {
      core::TaskDraft d;
      d.title = i < 3'000 ? (i % 4 == 0 ? "pay rent " : "call mom ") + std::to_string(i)
                          : "bench create " + std::to_string(i);
      auto t = w.insert_task(core::make_task(alice_, d, from_millis(i)));
      if (!t) return t.error();
    }
    return {};
  }));
  schema_->exec("VACUUM ANALYZE tasks, task_words");
  core::TaskQuery q;
  q.user_id = alice_;
  q.limit = 50;
  std::vector<BuiltQuery> trace;
  for (const auto& words :
       {std::vector<std::string>{"pay"}, std::vector<std::string>{"pa", "re"}}) {
    q.words = words;
    q.sort = core::SortKey::created;
    q.order = core::SortOrder::desc;
    ListingLimits limits;
    limits.trace = &trace;
    trace.clear();
    const auto walked = all_pages(q, {.word_walk = false, .plan = DrivingSet{}});
    ASSERT_EQ(walked.size(), 750U);
    auto page = list_tasks(*conn_, q, limits);
    ASSERT_TRUE(page) << page.error().message;
    // One statement: the word plan, then one run of the word's entries that fills the page.
    ASSERT_EQ(trace.size(), 1U) << words.front();
    EXPECT_NE(trace[0].sql.find("FROM task_words x"), std::string::npos);
    EXPECT_EQ(std::vector<core::TaskId>(walked.begin(), walked.begin() + 50), [&] {
      std::vector<core::TaskId> ids;
      for (const auto& t : page->items) ids.push_back(t.id);
      return ids;
    }());
    EXPECT_EQ(all_pages(q, limits), walked);

    // Sorted by title: the walk's first run finds nothing ("bench …" first), the word's set
    // (750 tasks) is counted up to a cap of 100 and, over it, the walk goes on.
    q.sort = core::SortKey::title;
    q.order = core::SortOrder::asc;
    limits.set_cap = 100;
    trace.clear();
    EXPECT_EQ(all_pages(q, limits), all_pages(q, {.word_walk = false, .plan = DrivingSet{}}));
    const auto count = std::find_if(trace.begin(), trace.end(), [](const BuiltQuery& s) {
      return s.sql.starts_with("SELECT (SELECT count(*)");
    });
    ASSERT_NE(count, trace.end()) << words.front();
    std::string args;
    for (const auto& p : count->params) {
      if (!args.empty()) args += ", ";
      args += "'" + *p + "'";
    }
    schema_->exec("PREPARE count_q AS " + count->sql);
    const auto plan = schema_->exec("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE count_q(" + args + ")");
    schema_->exec("DEALLOCATE count_q");
    // Every scan of the count is an index-only scan of task_words reading at most the cap + 1.
    const auto cap_plus_one = std::stoll(count->sql.substr(count->sql.rfind("LIMIT ") + 6));
    int scans = 0;
    const std::function<void(const json::object&)> visit = [&](const json::object& node) {
      const auto type = std::string{node.at("Node Type").as_string()};
      if (type.find("Scan") != std::string::npos && type != "Subquery Scan") {
        ++scans;
        EXPECT_EQ(type, "Index Only Scan") << plan;
        EXPECT_LE(node.at("Actual Rows").to_number<std::int64_t>(), cap_plus_one) << plan;
      }
      if (const auto* plans = node.if_contains("Plans")) {
        for (const auto& child : plans->as_array()) visit(child.as_object());
      }
    };
    visit(json::parse(plan).as_array().at(0).as_object().at("Plan").as_object());
    EXPECT_EQ(scans, static_cast<int>(words.size())) << plan;
  }
}

// A search walks its token in the statement that plans it when the token covers a few words;
// a token of more words is walked by a statement of its own, with the words that plan found; a
// token of over k_max_walk_words words is not walked (another token is, or the sort index).
// Every way lists what the sort index walk lists.
TEST_F(PgWordsTest, ASearchWalksItsTokenInTheStatementThatPlansIt) {
  // "zz…": 100 distinct words, 26 of them "zza…"; "kiwi" in 30 tasks; "common" in all 100.
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    for (int i = 0; i < 100; ++i) {
      std::string word = "zz";
      word += static_cast<char>('a' + i / 26);
      word += static_cast<char>('a' + i % 26);
      for (auto user : {alice_, bob_}) {
        core::TaskDraft d;
        d.title = word + (i >= 70 ? " kiwi" : "") + " common";
        auto t = w.insert_task(core::make_task(user, d, from_millis(i)));
        if (!t) return t.error();
      }
    }
    return {};
  }));
  struct Case {
    std::vector<std::string> words;
    std::size_t hits;
    std::size_t statements;  // for the first page
    const char* second;      // what the second statement walks
  };
  const Case cases[] = {
      {{"kiwi"}, 30, 1, nullptr},
      {{"zza"}, 26, 2, "26 words"},         // more words than branches
      {{"zz"}, 100, 2, "the sort index"},   // over k_max_walk_words
      {{"zz", "kiwi"}, 30, 1, nullptr},     // kiwi has fewer entries
      {{"zz", "common"}, 100, 1, nullptr},  // a tie, zz first: too many words, so common
  };
  for (const auto& c : cases) {
    core::TaskQuery q;
    q.user_id = alice_;
    q.words = c.words;
    q.limit = 7;
    const auto label = c.words.front() + (c.words.size() > 1 ? " " + c.words.back() : "");
    const auto walked = all_pages(q, {.word_walk = false, .plan = DrivingSet{}});
    EXPECT_EQ(walked.size(), c.hits) << label;
    EXPECT_EQ(all_pages(q, {}), walked) << label;
    std::vector<BuiltQuery> trace;
    ASSERT_TRUE(list_tasks(*conn_, q, {.trace = &trace})) << label;
    ASSERT_EQ(trace.size(), c.statements) << label;
    EXPECT_TRUE(trace[0].sql.starts_with("WITH p AS")) << label;
    if (c.statements < 2) continue;
    const auto& second = trace[1].sql;
    if (std::string_view{c.second} == "26 words") {
      EXPECT_EQ(trace[1].params.size(), 29U) << second;  // user, 26 words, search, limit
      EXPECT_NE(second.find("FROM task_words x"), std::string::npos) << second;
    } else {
      EXPECT_EQ(second.find("task_words"), std::string::npos) << second;
    }
  }
}

}  // namespace
}  // namespace tickler::store::postgres
