// The plan's rule: the smallest set within the cap, and the cap a walk's first run sizes.
#include "store/search_plan.hpp"

#include <gtest/gtest.h>

namespace tickler::store {
namespace {

TEST(SearchPlan, TheSmallestSetWithinTheCapStartsTheListing) {
  SetSizes sizes;
  sizes.text = 900;
  sizes.tags = {300, 200};
  sizes.priority = 250;
  EXPECT_EQ(choose_driving_set(sizes), (DrivingSet{Driver::tag, 1}));
  EXPECT_EQ(choose_driving_set(sizes, 199), DrivingSet{});  // none within: the walk
  sizes.tags = {300, 250};
  EXPECT_EQ(choose_driving_set(sizes, 260), (DrivingSet{Driver::tag, 1}));  // first of equals
  sizes.priority = 3;
  EXPECT_EQ(choose_driving_set(sizes, 3), (DrivingSet{Driver::priority, 0}));
}

TEST(SearchPlan, TheCapIsTheRestOfTheWalkInRowsOfASet) {
  // 10 hits in 1,000 rows; 41 more wanted at that rate: 4,100 rows.
  EXPECT_EQ(driving_set_cap(1000, 10, 50, 1), 4100);
  EXPECT_EQ(driving_set_cap(1000, 10, 50, 8), 512);
  // No hit yet: as if the next row were one, every 1,000 rows; 51,000 rows to go.
  EXPECT_EQ(driving_set_cap(1000, 0, 50, 50), 1020);
  // A page all but full wants little more.
  EXPECT_EQ(driving_set_cap(1000, 50, 50, 1), 20);
  // A large page with nothing found yet: bounded.
  EXPECT_EQ(driving_set_cap(1000, 0, 200, 1), k_max_driving_set_cap);
  EXPECT_EQ(driving_set_cap(250, 200, 200, 4), 0);  // below 1: walk on, count nothing
}

}  // namespace
}  // namespace tickler::store
