#pragma once
// Checks shared by the payload tests: a member missing, or of the wrong type, is refused with
// validation_failed naming it; a member nobody knows is ignored.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "core/result.hpp"

namespace tickler::wire::testing {

inline std::string field_of(const core::Error& e) {
  auto it = e.details.find("field");
  return it == e.details.end() ? std::string{} : std::get<std::string>(it->second);
}

// `good` is a valid payload; each of `required` is refused when missing and when replaced by
// `wrong` (a value of another type).
template <class T>
void expect_members_checked(const boost::json::object& good,
                            std::initializer_list<std::string_view> required,
                            const boost::json::value& wrong = boost::json::value{"?"}) {
  for (auto field : required) {
    for (const bool missing : {true, false}) {
      auto o = good;
      if (missing) {
        o.erase(field);
      } else {
        o[field] = wrong;
      }
      auto r = T::from_json(o);
      ASSERT_FALSE(r) << field << (missing ? " missing" : " mistyped") << " was accepted";
      EXPECT_EQ(r.error().code, core::Errc::validation_failed) << field;
      EXPECT_EQ(field_of(r.error()), field) << r.error().message;
      EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
    }
  }
  auto extra = good;
  extra["added_by_a_newer_producer"] = 1;
  auto r = T::from_json(extra);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->to_json(), good);
}

}  // namespace tickler::wire::testing
