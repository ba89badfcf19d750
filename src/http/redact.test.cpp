#include "http/redact.hpp"

#include <gtest/gtest.h>

namespace tickler::http {
namespace {

TEST(RedactTarget, HidesTokenParameters) {
  EXPECT_EQ(redact_target("/api/ws?token=a.b.c&since=5"), "/api/ws?token=[redacted]&since=5");
  EXPECT_EQ(redact_target("/api/ws?since=5&ACCESS_TOKEN=x"),
            "/api/ws?since=5&ACCESS_TOKEN=[redacted]");
  EXPECT_EQ(redact_target("/x?token=1&token=2"), "/x?token=[redacted]&token=[redacted]");
}

TEST(RedactTarget, LeavesEverythingElse) {
  EXPECT_EQ(redact_target("/api/tasks"), "/api/tasks");
  EXPECT_EQ(redact_target("/api/tasks?q=token&tokens=1&token"),
            "/api/tasks?q=token&tokens=1&token");
  EXPECT_EQ(redact_target("/a?"), "/a?");
}

}  // namespace
}  // namespace tickler::http
