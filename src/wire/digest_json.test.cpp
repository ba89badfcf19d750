#include "wire/digest_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tickler::wire {
namespace {

TEST(DigestJson, RequestRoundTripsAndRefusesBadFields) {
  const DigestRequest r{7, core::from_millis(1'796'601'600'000)};
  auto back = digest_request_from_json(digest_request_to_json(r));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->user_id, 7);
  EXPECT_EQ(back->before, r.before);
  for (const char* field : {"user_id", "before"}) {
    auto o = digest_request_to_json(r);
    o.erase(field);
    auto missing = digest_request_from_json(o);
    ASSERT_FALSE(missing) << field;
    EXPECT_EQ(missing.error().code, core::Errc::validation_failed);
  }
  auto o = digest_request_to_json(r);
  o["user_id"] = 0;
  EXPECT_FALSE(digest_request_from_json(o));
  o = digest_request_to_json(r);
  o["before"] = "tonight";
  EXPECT_FALSE(digest_request_from_json(o));
}

TEST(DigestJson, ItemsRoundTripInOrder) {
  const std::vector<core::DigestItem> items{
      {4, "Pay <rent>", core::from_millis(1'796'500'000'000), "Europe/Berlin", true},
      {9, "Call back", core::from_millis(1'796'550'000'000), "UTC", false}};
  auto back = digest_items_from_json(digest_items_to_json(items));
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->size(), 2U);
  EXPECT_EQ((*back)[0].task_id, 4);
  EXPECT_EQ((*back)[0].title, "Pay <rent>");
  EXPECT_EQ((*back)[0].due_at, items[0].due_at);
  EXPECT_EQ((*back)[0].time_zone, "Europe/Berlin");
  EXPECT_FALSE((*back)[0].overdue);  // the notifier decides, not the api
  EXPECT_EQ((*back)[1].task_id, 9);
  EXPECT_TRUE(digest_items_from_json(digest_items_to_json({})));
}

TEST(DigestJson, RefusesAnAnswerItCannotRead) {
  EXPECT_FALSE(digest_items_from_json(boost::json::object{}));
  EXPECT_FALSE(digest_items_from_json({{"items", 3}}));
  EXPECT_FALSE(digest_items_from_json({{"items", boost::json::array{1}}}));
  auto o = digest_items_to_json({{4, "t", core::from_millis(0), "UTC", false}});
  o["items"].as_array()[0].as_object().erase("due_at");
  auto r = digest_items_from_json(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::validation_failed);
}

}  // namespace
}  // namespace tickler::wire
