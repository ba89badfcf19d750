// The encodings both engines share (row_codec.hpp) and the keyset clauses of a listing
// (task_sort.hpp). That each engine reads back what it writes is the Store contract's
// (store_contract*.test.cpp).
#include "store/row_codec.hpp"

#include <gtest/gtest.h>

#include <map>

#include "store/task_sort.hpp"

namespace tickler::store {
namespace {

using core::from_millis;

TEST(RowCodec, RemindersRoundTrip) {
  const std::vector<core::ReminderSpec> reminders{
      {30, std::nullopt}, {std::nullopt, from_millis(1'767'225'600'000)}, {0, std::nullopt}};
  const auto text = encode_reminders(reminders);
  EXPECT_EQ(text, "b30 a1767225600000 b0");
  EXPECT_EQ(decode_reminders(text), reminders);
  EXPECT_EQ(encode_reminders({}), "");
  EXPECT_TRUE(decode_reminders("").empty());
}

TEST(RowCodec, RemindersSkipItemsWithoutAValue) {
  // Only encode_reminders writes the column; what it never writes is passed over.
  EXPECT_EQ(decode_reminders("  b15  x bz a-1"),
            (std::vector<core::ReminderSpec>{{15, std::nullopt}, {std::nullopt, from_millis(-1)}}));
}

TEST(RowCodec, WordsSplitOnSpacesOnly) {
  EXPECT_EQ(split_words(" home  work-ish\tx "), (std::vector<std::string>{"home", "work-ish\tx"}));
  EXPECT_EQ(join_words({"home", "work"}), "home work");
  EXPECT_EQ(join_words({}), "");
  EXPECT_TRUE(split_words("").empty());
}

// A row of text values, as a fake engine would give it, to read rows without a database.
struct TextRow {
  std::map<int, std::string> values;  // absent: NULL
  [[nodiscard]] bool is_null(int col) const { return !values.contains(col); }
  [[nodiscard]] std::string_view view(int col) const {
    auto it = values.find(col);
    return it == values.end() ? std::string_view{} : std::string_view{it->second};
  }
  [[nodiscard]] std::string text(int col) const { return std::string{view(col)}; }
  [[nodiscard]] std::int64_t int64(int col) const {
    return is_null(col) ? 0 : std::stoll(text(col));
  }
  [[nodiscard]] bool boolean(int col) const { return int64(col) != 0; }
  [[nodiscard]] core::Instant instant(int col) const { return from_millis(int64(col)); }
  [[nodiscard]] std::optional<std::string> opt_text(int col) const {
    return is_null(col) ? std::nullopt : std::optional{text(col)};
  }
  [[nodiscard]] std::optional<std::int64_t> opt_int64(int col) const {
    return is_null(col) ? std::nullopt : std::optional{int64(col)};
  }
  [[nodiscard]] std::optional<core::Instant> opt_instant(int col) const {
    return is_null(col) ? std::nullopt : std::optional{instant(col)};
  }
};
static_assert(RowColumns<TextRow>);

// Params that keep what is added as text, the way the engines' parameters are compared here.
struct TextParams {
  std::vector<std::optional<std::string>> values;
  TextParams& add(std::string_view v) {
    values.emplace_back(v);
    return *this;
  }
  TextParams& add(const std::string& v) { return add(std::string_view{v}); }
  TextParams& add(std::int64_t v) { return add(std::to_string(v)); }
  TextParams& add(core::Instant v) { return add(core::to_millis(v)); }
  TextParams& add(std::nullopt_t) {
    values.emplace_back();
    return *this;
  }
  template <class T>
  TextParams& add(const std::optional<T>& v) {
    return v ? add(*v) : add(std::nullopt);
  }
};

// What add_task_columns writes, read back through read_task's columns: the two orders agree.
TEST(RowCodec, ATaskReadsBackWhatItsColumnsWrite) {
  core::Task t;
  t.id = 7;
  t.user_id = 3;
  t.title = "Pay rent";
  t.description = "before the 5th";
  t.status = core::TaskStatus::completed;
  t.priority = core::Priority::high;
  t.tags = {"home", "money"};
  t.due_at = from_millis(1'800'000'000'000);
  t.time_zone = "Europe/Berlin";
  t.created_at = from_millis(1'700'000'000'000);
  t.updated_at = from_millis(1'700'000'100'000);
  t.completed_at = from_millis(1'700'000'200'000);
  t.version = 4;
  t.reminders = {{30, std::nullopt}, {std::nullopt, from_millis(1'799'000'000'000)}};
  t.recurrence = core::Recurrence{"FREQ=MONTHLY;BYMONTHDAY=1", core::RecurrenceMode::completion};
  t.series_id = 7;
  t.series_start = from_millis(1'800'000'000'000);
  t.occurrence_index = 2;

  for (const bool recurring : {true, false}) {
    auto task = t;
    if (!recurring) {
      task.recurrence.reset();
      task.series_id.reset();
      task.series_start.reset();
      task.occurrence_index = 0;
    }
    TextParams p;
    p.add(task.user_id).add(task.created_at);  // as an INSERT starts
    add_task_columns(p, task, join_words(task.tags));
    ASSERT_EQ(p.values.size(), 18U);
    // INSERT order (user_id, created_at, then add_task_columns') to SELECT order (k_task_columns).
    constexpr int k_select_column[18] = {1,  9,  2,  3,  4,  5,  6,  7,  8,
                                         10, 11, 12, 13, 14, 15, 16, 17, 18};
    TextRow row;
    row.values[0] = std::to_string(task.id);
    for (int i = 0; i < 18; ++i) {
      if (p.values[static_cast<std::size_t>(i)]) {
        row.values[k_select_column[i]] = *p.values[static_cast<std::size_t>(i)];
      }
    }
    const auto back = read_task(row, split_words);
    SCOPED_TRACE(recurring ? "recurring" : "single");
    EXPECT_EQ(back.id, task.id);
    EXPECT_EQ(back.user_id, task.user_id);
    EXPECT_EQ(back.title, task.title);
    EXPECT_EQ(back.description, task.description);
    EXPECT_EQ(back.status, task.status);
    EXPECT_EQ(back.priority, task.priority);
    EXPECT_EQ(back.tags, task.tags);
    EXPECT_EQ(back.due_at, task.due_at);
    EXPECT_EQ(back.time_zone, task.time_zone);
    EXPECT_EQ(back.created_at, task.created_at);
    EXPECT_EQ(back.updated_at, task.updated_at);
    EXPECT_EQ(back.completed_at, task.completed_at);
    EXPECT_EQ(back.version, task.version);
    EXPECT_EQ(back.reminders, task.reminders);
    EXPECT_EQ(back.recurrence, task.recurrence);
    EXPECT_EQ(back.series_id, task.series_id);
    EXPECT_EQ(back.series_start, task.series_start);
    EXPECT_EQ(back.occurrence_index, task.occurrence_index);
  }
}

TEST(TaskSort, WalksTheKeyThenTheIdInTheListingsDirection) {
  core::TaskQuery q;
  q.sort = core::SortKey::due;
  q.order = core::SortOrder::asc;
  const TaskSort due{q, "title_expr"};
  EXPECT_STREQ(due.column(), "t.due_sort");
  EXPECT_EQ(due.after("?", "?"), " AND (t.due_sort, t.id) > (?, ?)");
  EXPECT_EQ(due.order_by("$9"), " ORDER BY t.due_sort ASC, t.id ASC LIMIT $9");

  q.sort = core::SortKey::title;
  q.order = core::SortOrder::desc;
  const TaskSort title{q, "title_expr"};
  EXPECT_EQ(title.after("$1", "$2"), " AND (title_expr, t.id) < ($1, $2)");
  EXPECT_EQ(title.order_by("?"), " ORDER BY title_expr DESC, t.id DESC LIMIT ?");

  q.sort = core::SortKey::priority;
  EXPECT_STREQ(TaskSort(q, "x").column(), "t.priority");
  q.sort = core::SortKey::created;
  EXPECT_STREQ(TaskSort(q, "x").column(), "t.created_at");
}

TEST(TaskSort, BoundsARunInclusivelyAndReadsKeysFromAnotherTable) {
  core::TaskQuery q;
  q.sort = core::SortKey::created;
  q.order = core::SortOrder::desc;
  const TaskSort along_tag{q, "", "g", "task_id"};
  EXPECT_STREQ(along_tag.column(), "g.created_at");
  EXPECT_EQ(along_tag.id(), "g.task_id");
  EXPECT_EQ(along_tag.after("?", "?"), " AND (g.created_at, g.task_id) < (?, ?)");
  EXPECT_EQ(along_tag.through("?", "?"), " AND (g.created_at, g.task_id) >= (?, ?)");
  EXPECT_EQ(along_tag.order_by("1 OFFSET ?"),
            " ORDER BY g.created_at DESC, g.task_id DESC LIMIT 1 OFFSET ?");
  q.order = core::SortOrder::asc;
  EXPECT_EQ(TaskSort(q, "x").through("$1", "$2"), " AND (t.created_at, t.id) <= ($1, $2)");
}

}  // namespace
}  // namespace tickler::store
