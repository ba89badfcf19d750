#include "services/assistant/dialogue.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "services/assistant/windows.hpp"

namespace tickler::services::assistant {
namespace {

TaskRef ref(std::int64_t id, std::string title) {
  return {id, std::move(title), {}, "pending"};
}

TEST(AssistantDialogue, ExactTitlesWinThenContainingThenEverythingFound) {
  const std::vector<TaskRef> found{ref(1, "Dentist appointment"), ref(2, "dentist"),
                                   ref(3, "Call the dentist"), ref(4, "Dentists' list")};
  EXPECT_EQ(best_matches(" Dentist ", found), std::vector<TaskRef>{ref(2, "dentist")});
  const auto containing = best_matches("dentist a", found);
  ASSERT_EQ(containing.size(), 1U);
  EXPECT_EQ(containing[0].id, 1);
  EXPECT_EQ(best_matches("dent", found).size(), 4U);
  EXPECT_EQ(best_matches("tooth doctor", found).size(), 4U);  // the search's own matches
  EXPECT_EQ(best_matches("dent", found, 2).size(), 2U);
  EXPECT_TRUE(best_matches("x", {}).empty());
}

TEST(AssistantDialogue, StateRoundTripsThroughJson) {
  TurnState s;
  Command c;
  c.kind = CommandKind::reschedule;
  c.name = "dentist";
  c.argument = "friday 3pm";
  s.choice_for = c;
  s.options = {ref(1, "Dentist"), TaskRef{2, "Dentist 2", "2026-12-11T15:00:00Z", "completed"}};
  s.confirm_delete = ref(3, "old");
  s.undo = UndoRecord{"updated", ref(4, "x"), {{"title", "before"}, {"due_at", nullptr}}};
  s.last_task = ref(5, "last");
  EXPECT_EQ(state_from_json(state_to_json(s)), s);
  EXPECT_EQ(state_from_json(state_to_json(TurnState{})), TurnState{});
}

TEST(AssistantDialogue, UnreadableStateIsEmpty) {
  for (const auto* text :
       {"", "not json", "[]", R"({"choice":{"command":{"kind":"add"},"options":[{"id":1}]}})",
        R"({"choice":{"command":{"kind":"remove"},"options":[]}})",
        R"({"undo":{"change":"added","task":{"id":"x"}}})"}) {
    EXPECT_EQ(state_from_json(text), TurnState{}) << text;
  }
}

TEST(AssistantDialogue, TaskRefsAndRecreatedFieldsComeFromTheTaskJson) {
  const auto task = boost::json::parse(
                        R"({"id":7,"title":"Pay rent","description":"","status":"pending",
                            "priority":"high","tags":["home"],"due_at":"2027-01-01T09:00:00Z",
                            "time_zone":"Europe/Paris","reminders":[{"before_minutes":30}],
                            "recurrence":null,"version":3,"created_at":"2026-01-01T00:00:00Z"})")
                        .as_object();
  const auto r = task_ref(task);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, 7);
  EXPECT_EQ(r->due_at, "2027-01-01T09:00:00Z");
  const auto fields = recreate_fields(task);
  EXPECT_EQ(fields.size(), 7U);  // no recurrence (null), no id, version or timestamps
  EXPECT_FALSE(fields.contains("id"));
  EXPECT_FALSE(fields.contains("recurrence"));
  EXPECT_EQ(fields.at("tags").as_array().size(), 1U);
  EXPECT_FALSE(task_ref(boost::json::object{{"title", "no id"}}));
}

TEST(AssistantWindows, DaysAndWeeksFollowTheUsersZone) {
  // Thursday 10 December 2026, 23:30 UTC = Friday 11 December 00:30 in Paris.
  const auto now = *core::parse_rfc3339("2026-12-10T23:30:00Z");
  auto utc = due_range(DueWindow::today, now, "UTC");
  ASSERT_TRUE(utc);
  EXPECT_EQ(core::format_rfc3339(*utc->after), "2026-12-10T00:00:00.000Z");
  EXPECT_EQ(core::format_rfc3339(*utc->before), "2026-12-11T00:00:00.000Z");
  auto paris = due_range(DueWindow::today, now, "Europe/Paris");
  ASSERT_TRUE(paris);
  EXPECT_EQ(core::format_rfc3339(*paris->after), "2026-12-10T23:00:00.000Z");
  auto tomorrow = due_range(DueWindow::tomorrow, now, "Europe/Paris");
  ASSERT_TRUE(tomorrow);
  EXPECT_EQ(core::format_rfc3339(*tomorrow->after), "2026-12-11T23:00:00.000Z");
  auto week = due_range(DueWindow::this_week, now, "UTC");  // Thursday → the end of Sunday
  ASSERT_TRUE(week);
  EXPECT_EQ(core::format_rfc3339(*week->before), "2026-12-14T00:00:00.000Z");
  auto overdue = due_range(DueWindow::overdue, now, "UTC");
  ASSERT_TRUE(overdue);
  EXPECT_FALSE(overdue->after);
  EXPECT_EQ(*overdue->before, now);
  EXPECT_FALSE(due_range(DueWindow::any, now, "UTC")->before);
  EXPECT_FALSE(due_range(DueWindow::today, now, "Mars/Olympus"));
}

TEST(AssistantWindows, DueTimesReadInTheZone) {
  const auto now = *core::parse_rfc3339("2026-12-10T12:00:00Z");
  EXPECT_EQ(describe_due(*core::parse_rfc3339("2026-12-11T14:00:00Z"), now, "Europe/Paris"),
            "Fri 11 Dec, 15:00");
  EXPECT_EQ(describe_due(*core::parse_rfc3339("2027-01-04T09:00:00Z"), now, "UTC"),
            "Mon 4 Jan 2027, 09:00");
}

}  // namespace
}  // namespace tickler::services::assistant
