// text[] in and out of PostgreSQL's array text format (no server needed).
#include "store/postgres/pg_connection.hpp"

#include <gtest/gtest.h>

namespace tickler::store::postgres {
namespace {

TEST(PgArrays, RoundTripAnyText) {
  const std::vector<std::string> items = {"plain",   "with space", "quo\"te", "back\\slash",
                                          "{brace}", "a,b",        "NULL",    ""};
  EXPECT_EQ(from_pg_array(to_pg_array(items)), items);
  EXPECT_EQ(from_pg_array("{}"), std::vector<std::string>{});
  EXPECT_EQ(from_pg_array(R"({home,"a b","x\"y"})"),
            (std::vector<std::string>{"home", "a b", "x\"y"}));
}

}  // namespace
}  // namespace tickler::store::postgres
