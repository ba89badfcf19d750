#include "services/assistant/grammar.hpp"

#include <gtest/gtest.h>

namespace tickler::services::assistant {
namespace {

Command parsed(std::string_view text) {
  return parse_command(text);
}

TEST(AssistantGrammar, AddTakesTheQuickAddLineAsWritten) {
  for (const auto* text :
       {"add pay rent every month on the 1st at 9am", "Add: pay rent every month on the 1st at 9am",
        "add task pay rent every month on the 1st at 9am",
        "please add a task pay rent every month on the 1st at 9am",
        "create pay rent every month on the 1st at 9am",
        "remind me to pay rent every month on the 1st at 9am"}) {
    const auto c = parsed(text);
    EXPECT_EQ(c.kind, CommandKind::add) << text;
    EXPECT_EQ(c.name, "pay rent every month on the 1st at 9am") << text;
  }
  EXPECT_EQ(parsed("add Call Mom tomorrow #family !high").name, "Call Mom tomorrow #family !high");
  EXPECT_EQ(parsed("add").kind, CommandKind::unknown);
}

TEST(AssistantGrammar, DueWindows) {
  const std::pair<const char*, DueWindow> cases[] = {
      {"what's due today?", DueWindow::today},
      {"What is due today", DueWindow::today},
      {"due today", DueWindow::today},
      {"what's due tomorrow", DueWindow::tomorrow},
      {"what do I have tomorrow", DueWindow::tomorrow},
      {"what's due this week?", DueWindow::this_week},
      {"show me this week", DueWindow::this_week},
      {"what's overdue", DueWindow::overdue},
      {"overdue", DueWindow::overdue},
      {"show overdue tasks", DueWindow::overdue},
      {"what's due", DueWindow::this_week},
      {"show my tasks", DueWindow::any}};
  for (const auto& [text, window] : cases) {
    const auto c = parsed(text);
    EXPECT_EQ(c.kind, CommandKind::list) << text;
    EXPECT_EQ(c.filter.window, window) << text;
    EXPECT_TRUE(c.filter.words.empty()) << text;
  }
}

TEST(AssistantGrammar, TagsPrioritiesAndSearches) {
  auto c = parsed("show #home");
  EXPECT_EQ(c.kind, CommandKind::list);
  EXPECT_EQ(c.filter.tags, std::vector<std::string>{"home"});
  c = parsed("#Work due today");
  EXPECT_EQ(c.kind, CommandKind::list);
  EXPECT_EQ(c.filter.tags, std::vector<std::string>{"work"});
  EXPECT_EQ(c.filter.window, DueWindow::today);
  c = parsed("show tasks tagged errands");
  EXPECT_EQ(c.filter.tags, std::vector<std::string>{"errands"});
  for (const auto* text : {"high priority", "what's high priority?", "show !high", "urgent"}) {
    c = parsed(text);
    EXPECT_EQ(c.kind, CommandKind::list) << text;
    EXPECT_EQ(c.filter.priority, "high") << text;
  }
  EXPECT_EQ(parsed("low priority tasks").filter.priority, "low");
  c = parsed("find dentist");
  EXPECT_EQ(c.kind, CommandKind::list);
  EXPECT_EQ(c.filter.words, std::vector<std::string>{"dentist"});
  c = parsed("search for Dentist Appointment");
  EXPECT_EQ(c.filter.words, (std::vector<std::string>{"dentist", "appointment"}));
  c = parsed("show dentist");  // an unknown word after a listing verb is searched for
  EXPECT_EQ(c.filter.words, std::vector<std::string>{"dentist"});
  EXPECT_TRUE(parsed("show completed").filter.include_completed);
  EXPECT_EQ(parsed("dentist").kind, CommandKind::unknown);  // a bare word is no listing
}

TEST(AssistantGrammar, ActingOnANamedTask) {
  const std::pair<const char*, CommandKind> cases[] = {
      {"complete dentist", CommandKind::complete},
      {"done dentist", CommandKind::complete},
      {"finish the dentist", CommandKind::complete},
      {"mark dentist done", CommandKind::complete},
      {"mark dentist as done", CommandKind::complete},
      {"mark dentist as completed", CommandKind::complete},
      {"tick off dentist", CommandKind::complete},
      {"reopen dentist", CommandKind::reopen},
      {"mark dentist as not done", CommandKind::reopen},
      {"mark dentist pending", CommandKind::reopen},
      {"delete dentist", CommandKind::remove},
      {"remove the dentist task", CommandKind::remove}};
  for (const auto& [text, kind] : cases) {
    const auto c = parsed(text);
    EXPECT_EQ(c.kind, kind) << text;
    EXPECT_EQ(c.name, "dentist") << text;
  }
  EXPECT_EQ(parsed("Complete Call Mom").name, "Call Mom");
  EXPECT_EQ(parsed("mark it done").name, "it");
  EXPECT_TRUE(names_last_task(parsed("mark it done").name));
  EXPECT_TRUE(names_last_task("That"));
  EXPECT_FALSE(names_last_task("dentist"));
}

TEST(AssistantGrammar, RenameSplitsAtTheFirstToOrAfterAQuotedName) {
  auto c = parsed("rename dentist to dentist appointment");
  EXPECT_EQ(c.kind, CommandKind::rename);
  EXPECT_EQ(c.name, "dentist");
  EXPECT_EQ(c.argument, "dentist appointment");
  c = parsed("rename \"go to bank\" to Visit the bank");
  EXPECT_EQ(c.name, "go to bank");
  EXPECT_EQ(c.argument, "Visit the bank");
  c = parsed("rename dentist to \"dentist, 2nd floor\"");
  EXPECT_EQ(c.argument, "dentist, 2nd floor");
  EXPECT_EQ(parsed("rename dentist").kind, CommandKind::unknown);
  EXPECT_EQ(parsed("rename dentist to").kind, CommandKind::unknown);
}

TEST(AssistantGrammar, RescheduleSplitsAtTheLastTo) {
  for (const auto* text : {"move dentist to friday 3pm", "reschedule dentist to friday 3pm",
                           "postpone the dentist to friday 3pm", "push dentist to friday 3pm"}) {
    const auto c = parsed(text);
    EXPECT_EQ(c.kind, CommandKind::reschedule) << text;
    EXPECT_EQ(c.name, "dentist") << text;
    EXPECT_EQ(c.argument, "friday 3pm") << text;
  }
  const auto c = parsed("move go to bank to tomorrow");
  EXPECT_EQ(c.name, "go to bank");
  EXPECT_EQ(c.argument, "tomorrow");
  EXPECT_EQ(parsed("move dentist").kind, CommandKind::unknown);
}

TEST(AssistantGrammar, RemindersBeforeTheDueTime) {
  const std::pair<const char*, int> cases[] = {{"remind me about dentist 30 minutes before", 30},
                                               {"remind me about dentist 30 min before", 30},
                                               {"remind me of dentist 2h before", 120},
                                               {"remind me about dentist an hour before", 60},
                                               {"remind me about dentist a day before", 1440},
                                               {"add a reminder to dentist 1 week before", 10080},
                                               {"remind me about dentist", 0}};
  for (const auto& [text, minutes] : cases) {
    const auto c = parsed(text);
    EXPECT_EQ(c.kind, CommandKind::remind) << text;
    EXPECT_EQ(c.name, "dentist") << text;
    EXPECT_EQ(c.number, minutes) << text;
  }
  EXPECT_EQ(parsed("remind me about the dentist appointment 15 minutes before").name,
            "dentist appointment");
  EXPECT_EQ(parsed("remind me about dentist soon before").kind, CommandKind::unknown);
}

TEST(AssistantGrammar, AnswersUndoAndHelp) {
  for (const auto* text : {"yes", "Yes!", "y", "ok", "confirm", "yes please"}) {
    EXPECT_EQ(parsed(text).kind, CommandKind::yes) << text;
  }
  for (const auto* text : {"no", "No.", "cancel", "never mind"}) {
    EXPECT_EQ(parsed(text).kind, CommandKind::no) << text;
  }
  const std::pair<const char*, int> numbers[] = {
      {"2", 2}, {"#3", 3}, {"number 1", 1}, {"the second one", 2}, {"option 4", 4}, {"1st", 1}};
  for (const auto& [text, n] : numbers) {
    const auto c = parsed(text);
    EXPECT_EQ(c.kind, CommandKind::choose) << text;
    EXPECT_EQ(c.number, n) << text;
  }
  EXPECT_EQ(parsed("0").kind, CommandKind::unknown);
  for (const auto* text : {"undo", "Undo that", "undo it", "please undo"}) {
    EXPECT_EQ(parsed(text).kind, CommandKind::undo) << text;
  }
  for (const auto* text : {"help", "what can you do?", "hello"}) {
    EXPECT_EQ(parsed(text).kind, CommandKind::help) << text;
  }
  EXPECT_EQ(parsed("").kind, CommandKind::unknown);
  EXPECT_EQ(parsed("   ?! ").kind, CommandKind::unknown);
  EXPECT_EQ(parsed("sing me a song").kind, CommandKind::unknown);
}

TEST(AssistantGrammar, Durations) {
  EXPECT_EQ(parse_duration_minutes("30 minutes"), 30);
  EXPECT_EQ(parse_duration_minutes("45m"), 45);
  EXPECT_EQ(parse_duration_minutes("3 hours"), 180);
  EXPECT_EQ(parse_duration_minutes("2d"), 2880);
  EXPECT_EQ(parse_duration_minutes("an hour"), 60);
  EXPECT_EQ(parse_duration_minutes("0 minutes"), 0);
  EXPECT_FALSE(parse_duration_minutes("minutes"));
  EXPECT_FALSE(parse_duration_minutes("30 parsecs"));
  EXPECT_FALSE(parse_duration_minutes("999 weeks"));
  EXPECT_FALSE(parse_duration_minutes("-5 minutes"));
}

}  // namespace
}  // namespace tickler::services::assistant
