#include "services/api/list_query.hpp"

#include <gtest/gtest.h>

namespace tickler::services::api {
namespace {

TEST(ListQuery, DefaultsPerSortKey) {
  auto q = parse_list_query(1, {});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->sort, core::SortKey::created);
  EXPECT_EQ(q->order, core::SortOrder::desc);
  EXPECT_EQ(q->limit, 50);
  EXPECT_FALSE(q->status);
  auto due = parse_list_query(1, {{"sort", "due"}});
  EXPECT_EQ(due->order, core::SortOrder::asc);
  auto prio = parse_list_query(1, {{"sort", "priority"}});
  EXPECT_EQ(prio->order, core::SortOrder::desc);
}

TEST(ListQuery, ParsesFiltersAndLists) {
  auto q = parse_list_query(1, {{"q", "  pay   rent "},
                                {"status", "pending"},
                                {"priority", "high,low"},
                                {"priority", "none"},
                                {"tag", "#Home"},
                                {"tag", "work,money"},
                                {"due_after", "2026-01-01T00:00:00Z"},
                                {"limit", "200"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->words, (std::vector<std::string>{"pay", "rent"}));
  EXPECT_EQ(q->status, core::TaskStatus::pending);
  EXPECT_EQ(q->priorities.size(), 3U);
  EXPECT_EQ(q->tags, (std::vector<std::string>{"home", "work", "money"}));
  EXPECT_TRUE(q->due_after);
  EXPECT_EQ(q->limit, 200);
}

TEST(ListQuery, RejectsBadParameters) {
  const QueryParams bad[] = {
      {{"limit", "0"}},         {{"limit", "201"}},  {{"limit", "1x"}},
      {{"sort", "size"}},       {{"order", "up"}},   {{"status", "done"}},
      {{"priority", "urgent"}}, {{"colour", "red"}}, {{"limit", "5"}, {"limit", "6"}},
      {{"due_before", "soon"}}, {{"cursor", "%%%"}}, {{"tag", "a b"}},
      {{"has_due", "yes"}}};
  for (const auto& params : bad) {
    auto q = parse_list_query(1, params);
    ASSERT_FALSE(q) << params.front().first << "=" << params.front().second;
    EXPECT_EQ(q.error().code, core::Errc::invalid_parameter);
    EXPECT_FALSE(std::get<std::string>(q.error().details.at("parameter")).empty());
  }
}

TEST(ListQuery, HasDueSelectsDatedOrUndatedTasks) {
  EXPECT_FALSE(parse_list_query(1, {})->has_due);
  EXPECT_EQ(parse_list_query(1, {{"has_due", "true"}})->has_due, true);
  EXPECT_EQ(parse_list_query(1, {{"has_due", "false"}})->has_due, false);
}

TEST(Cursor, RoundTripsEveryKeyKind) {
  const core::Keyset keys[] = {
      {std::int64_t{1795000000000}, 7}, {std::string{"Pay rent"}, 8}, {std::monostate{}, 9}};
  const core::SortKey sorts[] = {core::SortKey::created, core::SortKey::title, core::SortKey::due};
  for (int i = 0; i < 3; ++i) {
    const auto c = encode_cursor(sorts[i], core::SortOrder::asc, keys[i]);
    auto back = decode_cursor(c, sorts[i], core::SortOrder::asc);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, keys[i]);
  }
}

TEST(Cursor, RefusesAnotherSortOrOrderOrGarbage) {
  const auto c = encode_cursor(core::SortKey::due, core::SortOrder::asc, {std::int64_t{5}, 1});
  EXPECT_FALSE(decode_cursor(c, core::SortKey::created, core::SortOrder::asc));
  EXPECT_FALSE(decode_cursor(c, core::SortKey::due, core::SortOrder::desc));
  EXPECT_FALSE(decode_cursor("eyJub3QiOiJhIGN1cnNvciJ9", core::SortKey::due, core::SortOrder::asc));
  EXPECT_FALSE(decode_cursor("", core::SortKey::due, core::SortOrder::asc));
  // A title cursor whose key is a number is not a title cursor.
  const auto wrong =
      encode_cursor(core::SortKey::title, core::SortOrder::asc, {std::int64_t{5}, 1});
  EXPECT_FALSE(decode_cursor(wrong, core::SortKey::title, core::SortOrder::asc));
}

}  // namespace
}  // namespace tickler::services::api
