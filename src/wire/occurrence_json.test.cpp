#include "wire/occurrence_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tickler::wire {
namespace {

TEST(OccurrenceJson, RoundTrips) {
  const core::OccurrenceRequest r{3, 40, 2, 17, 3, core::from_millis(1'767'250'800'000)};
  auto back = occurrence_from_json(occurrence_to_json(r));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->user_id, 3);
  EXPECT_EQ(back->previous_id, 40);
  EXPECT_EQ(back->previous_index, 2);
  EXPECT_EQ(back->series_id, 17);
  EXPECT_EQ(back->index, 3);
  EXPECT_EQ(back->due, r.due);
  EXPECT_EQ(occurrence_key(r), "series-17-3");
}

TEST(OccurrenceJson, RefusesMissingOrWrongFields) {
  auto good = occurrence_to_json({3, 40, 2, 17, 3, core::from_millis(0)});
  for (const char* field : {"user_id", "previous_id", "series_id", "index", "due"}) {
    auto o = good;
    o.erase(field);
    auto r = occurrence_from_json(o);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().code, core::Errc::validation_failed);
  }
  auto bad = good;
  bad["due"] = "yesterday";
  EXPECT_FALSE(occurrence_from_json(bad));
  bad = good;
  bad["index"] = 0;
  EXPECT_FALSE(occurrence_from_json(bad));
  bad = good;
  bad["user_id"] = "3";
  EXPECT_FALSE(occurrence_from_json(bad));
}

}  // namespace
}  // namespace tickler::wire
