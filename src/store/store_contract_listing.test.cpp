// The Store contract of listings at the edges of the engines' plans (store/search_plan.hpp): a
// search whose set is just within k_driving_set_cap and just over it, and a word longer than
// PostgreSQL keeps whole. The results are the same whichever rows a listing starts from.
#include "store/search_plan.hpp"
#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

// A set of exactly the cap, then one more: the same pages, whether the listing starts from the
// search's set or walks the sort index. Few of the set pass the other filter, so walking the
// first rows does not fill a page.
TEST_P(StoreContract, ASetJustWithinAndJustOverTheCapListsTheSame) {
  const auto cap = static_cast<int>(k_driving_set_cap);
  std::vector<core::TaskId> due_soon;  // due before 10,000, newest first
  auto add = [&](int from, int to) {
    ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
      for (int i = from; i < to; ++i) {
        core::TaskDraft d;
        d.title = "alpha " + std::to_string(i);
        if (i % 701 == 0) d.due_at = from_millis(i);
        auto t = w.insert_task(core::make_task(alice_, d, from_millis(1'000 + i)));
        if (!t) return t.error();
        if (d.due_at) due_soon.insert(due_soon.begin(), t->id);
      }
      return {};
    }));
  };
  add(0, cap);
  core::TaskQuery q;
  q.user_id = alice_;
  q.words = {"alph"};
  q.due_before = from_millis(10'000);
  q.limit = 3;
  EXPECT_EQ(all_pages(q), due_soon);
  add(cap, cap + 1);  // one more (not due soon): the set is over the cap
  EXPECT_EQ(all_pages(q), due_soon);
  q.sort = core::SortKey::due;
  q.order = core::SortOrder::asc;
  EXPECT_EQ(all_pages(q), std::vector<core::TaskId>(due_soon.rbegin(), due_soon.rend()));
}

// A word past PostgreSQL's limit on a lexeme (2,046 bytes) is stored, and found by its start.
TEST_P(StoreContract, AVeryLongWordIsStoredAndFound) {
  std::string kanji;
  for (int i = 0; i < 700; ++i) kanji += "語";  // one token of 2,100 bytes
  const auto id =
      add_task(alice_, "long", {}, {}, 0, [&](core::Task& t) { t.description = kanji; }).id;
  ASSERT_NE(id, 0);
  EXPECT_EQ(search({kanji.substr(0, 300)}), std::set<core::TaskId>{id});
  EXPECT_EQ(search({kanji}), std::set<core::TaskId>{id});
}

}  // namespace
}  // namespace tickler::store::contract
