#include "core/validation.hpp"

#include <gtest/gtest.h>

namespace tickler::core {
namespace {

TEST(Validation, TitleIsTrimmedAndBounded) {
  EXPECT_EQ(*normalize_title("  Pay rent \n"), "Pay rent");
  EXPECT_FALSE(normalize_title("   "));
  EXPECT_TRUE(normalize_title(std::string(200, 'a')));
  EXPECT_FALSE(normalize_title(std::string(201, 'a')));
  // 200 two-byte characters are 200 characters, not 400.
  std::string umlauts;
  for (int i = 0; i < 200; ++i) umlauts += "ä";
  EXPECT_TRUE(normalize_title(umlauts));
  EXPECT_FALSE(normalize_title("bell\x07"));
  EXPECT_EQ(std::get<std::string>(normalize_title("").error().details.at("field")), "title");
  const auto long_title = normalize_title(std::string(231, 'a'));
  EXPECT_EQ(std::get<std::int64_t>(long_title.error().details.at("length")), 231);
  EXPECT_EQ(std::get<std::int64_t>(long_title.error().details.at("max")), 200);
}

TEST(Validation, DescriptionAllowsNewlinesUpTo1000Chars) {
  EXPECT_TRUE(check_description("line 1\nline 2\ttabbed"));
  EXPECT_TRUE(check_description(std::string(1000, 'x')));
  EXPECT_FALSE(check_description(std::string(1001, 'x')));
  EXPECT_FALSE(check_description(std::string{"nul\0inside", 10}));
}

TEST(Validation, TagsAreNormalizedDeduplicatedAndLimited) {
  auto tags = normalize_tags({"#Home", " work ", "home", "Ünïcode"});
  ASSERT_TRUE(tags);
  EXPECT_EQ(*tags, (std::vector<std::string>{"home", "work", "Ünïcode"}));
  EXPECT_FALSE(normalize_tags({"two words"}));
  EXPECT_FALSE(normalize_tags({"a,b"}));
  EXPECT_FALSE(normalize_tags({"#"}));
  EXPECT_TRUE(normalize_tags({std::string(40, 't')}));
  EXPECT_FALSE(normalize_tags({std::string(41, 't')}));
  std::vector<std::string> many;
  for (int i = 0; i < 21; ++i) many.push_back("t" + std::to_string(i));
  EXPECT_FALSE(normalize_tags(many));
  many.pop_back();
  EXPECT_TRUE(normalize_tags(many));
}

TEST(Validation, TimeZonesComeFromTheDatabase) {
  EXPECT_TRUE(check_time_zone("Europe/Berlin"));
  EXPECT_TRUE(check_time_zone("UTC"));
  EXPECT_TRUE(check_time_zone("Australia/Lord_Howe"));
  EXPECT_FALSE(check_time_zone("Mars/Olympus"));
  EXPECT_FALSE(check_time_zone(""));
  EXPECT_EQ(std::get<std::string>(check_time_zone("Nowhere").error().details.at("field")),
            "time_zone");
}

TEST(Validation, EmailsArelowercasedAndShaped) {
  EXPECT_EQ(*normalize_email(" Ann@Example.COM "), "ann@example.com");
  EXPECT_FALSE(normalize_email("no-at-sign"));
  EXPECT_FALSE(normalize_email("@example.com"));
  EXPECT_FALSE(normalize_email("a@b@c"));
  EXPECT_FALSE(normalize_email("a b@c.d"));
}

TEST(Validation, PasswordLength) {
  EXPECT_FALSE(check_password("short"));
  EXPECT_TRUE(check_password("eight ch"));
  EXPECT_FALSE(check_password(std::string(129, 'p')));
}

TEST(Validation, PatchChangesVersionOnlyWhenSomethingChanges) {
  TaskDraft d;
  d.title = "Write report";
  ASSERT_TRUE(validate(d));
  auto t = make_task(7, d, from_millis(1000));
  EXPECT_EQ(t.version, 1);
  TaskPatch same;
  same.title = "Write report";
  EXPECT_FALSE(apply_patch(t, same, from_millis(2000)));
  EXPECT_EQ(t.version, 1);
  TaskPatch p;
  p.due_at = std::optional<Instant>{from_millis(5000)};
  EXPECT_TRUE(apply_patch(t, p, from_millis(3000)));
  EXPECT_EQ(t.version, 2);
  EXPECT_EQ(t.updated_at, from_millis(3000));
  TaskPatch clear;
  clear.due_at = std::optional<Instant>{};
  EXPECT_TRUE(apply_patch(t, clear, from_millis(4000)));
  EXPECT_FALSE(t.due_at);
}

TEST(Validation, CompleteAndReopenAreIdempotent) {
  Task t;
  EXPECT_TRUE(complete(t, from_millis(10)));
  EXPECT_EQ(t.completed_at, from_millis(10));
  EXPECT_FALSE(complete(t, from_millis(20)));
  EXPECT_EQ(t.version, 2);
  EXPECT_TRUE(reopen(t, from_millis(30)));
  EXPECT_FALSE(t.completed_at);
  EXPECT_FALSE(reopen(t, from_millis(40)));
  EXPECT_EQ(t.version, 3);
}

}  // namespace
}  // namespace tickler::core
