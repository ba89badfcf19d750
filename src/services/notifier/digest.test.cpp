#include "services/notifier/digest.hpp"

#include <gtest/gtest.h>

namespace tickler::services::notifier {
namespace {

core::Instant at(const char* text) {
  return *core::parse_rfc3339(text);
}

core::NotificationPrefs digest_at(const char* zone, const char* time) {
  auto p = core::NotificationPrefs::defaults(zone);
  p.digest = core::Digest{*core::parse_hh_mm(time), {"email"}};
  return p;
}

TEST(Digest, IsARowPerUserAndLocalDay) {
  const auto prefs = digest_at("America/New_York", "07:30");
  // 03:00Z on 11 June is 23:00 on the 10th in New York: the next digest is the 11th's.
  const auto r = next_digest(7, prefs, at("2026-06-11T03:00:00Z"));
  EXPECT_EQ(r.id, "digest:7:2026-06-11");
  EXPECT_TRUE(is_digest(r.id));
  EXPECT_FALSE(is_digest("42-at-1900000000000"));
  EXPECT_EQ(r.remind_at, at("2026-06-11T11:30:00Z"));
  EXPECT_EQ(r.user_id, 7);
  EXPECT_EQ(r.time_zone, "America/New_York");
  // Fired, the next is the next local day's.
  EXPECT_EQ(next_digest(7, prefs, r.remind_at).id, "digest:7:2026-06-12");
}

TEST(Digest, ComesOnceOnDaysTheClockChanges) {
  // Spring forward in New York (8 March 2026): 02:30 is skipped, the digest comes at 03:30 EDT.
  const auto spring = digest_at("America/New_York", "02:30");
  const auto first = next_digest(1, spring, at("2026-03-07T12:00:00Z"));
  EXPECT_EQ(first.id, "digest:1:2026-03-08");
  EXPECT_EQ(first.remind_at, at("2026-03-08T07:30:00Z"));
  EXPECT_EQ(next_digest(1, spring, first.remind_at).id, "digest:1:2026-03-09");
  // Fall back in Berlin (25 October 2026): 02:30 comes twice, the digest once.
  const auto fall = digest_at("Europe/Berlin", "02:30");
  const auto berlin = next_digest(1, fall, at("2026-10-24T12:00:00Z"));
  EXPECT_EQ(berlin.remind_at, at("2026-10-25T00:30:00Z"));
  const auto after = next_digest(1, fall, berlin.remind_at);
  EXPECT_EQ(after.id, "digest:1:2026-10-26");
  // Fall back in New York (1 November 2026) at 01:30; spring forward in Berlin (29 March) at 02:30.
  const auto ny =
      next_digest(1, digest_at("America/New_York", "01:30"), at("2026-10-31T12:00:00Z"));
  EXPECT_EQ(ny.remind_at, at("2026-11-01T05:30:00Z"));
  EXPECT_EQ(next_digest(1, digest_at("America/New_York", "01:30"), ny.remind_at).id,
            "digest:1:2026-11-02");
  const auto de = next_digest(1, fall, at("2026-03-28T12:00:00Z"));
  EXPECT_EQ(de.id, "digest:1:2026-03-29");
  EXPECT_EQ(de.remind_at, at("2026-03-29T01:30:00Z"));
}

TEST(Digest, IdsAroundNowCoverYesterdayToTomorrow) {
  EXPECT_EQ(digest_ids_around(3, "UTC", at("2026-06-10T12:00:00Z")),
            (std::vector<std::string>{"digest:3:2026-06-09", "digest:3:2026-06-10",
                                      "digest:3:2026-06-11"}));
}

}  // namespace
}  // namespace tickler::services::notifier
