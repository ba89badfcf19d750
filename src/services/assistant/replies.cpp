#include "services/assistant/replies.hpp"

#include "services/assistant/windows.hpp"

namespace tickler::services::assistant {

std::string help_text() {
  return "Here is what I understand:\n"
         "• add <task> — e.g. “add pay rent every month on the 1st at 9am #home !high”\n"
         "• what's due today / tomorrow / this week, what's overdue, show #home, "
         "high priority, find <words>\n"
         "• complete / reopen / delete <task> (I ask before deleting)\n"
         "• rename <task> to <new title>\n"
         "• move <task> to <date and time> — e.g. “move dentist to friday 3pm”\n"
         "• remind me about <task> 30 minutes before\n"
         "• undo — reverts my last change\n"
         "Name a task by (part of) its title, or say “it” for the one we just talked about.";
}

std::string task_phrase(const TaskRef& task, core::Instant now, std::string_view time_zone) {
  std::string out = "“" + task.title + "”";
  if (task.due_at) {
    if (auto due = core::parse_rfc3339(*task.due_at)) {
      out += " (due " + describe_due(*due, now, time_zone) + ")";
    }
  }
  if (task.status == "completed") out += " [done]";
  return out;
}

boost::json::object task_card(const TaskRef& task, std::string_view change) {
  boost::json::object o{{"type", "task"},
                        {"change", change},
                        {"id", task.id},
                        {"title", task.title},
                        {"status", task.status}};
  o["due_at"] = task.due_at ? boost::json::value(*task.due_at) : boost::json::value(nullptr);
  return o;
}

Reply choice_reply(std::string_view question, const std::vector<TaskRef>& options,
                   core::Instant now, std::string_view time_zone) {
  Reply r;
  r.text = std::string{question};
  int n = 0;
  for (const auto& t : options) {
    ++n;
    r.text += "\n" + std::to_string(n) + ". " + task_phrase(t, now, time_zone);
    auto card = task_card(t, "choice");
    card["type"] = "choice";
    card.erase("change");
    card["number"] = n;
    r.actions.push_back(std::move(card));
  }
  r.text += "\nAnswer with a number.";
  return r;
}

Reply listing_reply(std::string_view heading, std::string_view empty,
                    const std::vector<TaskRef>& tasks, bool more, core::Instant now,
                    std::string_view time_zone) {
  Reply r;
  if (tasks.empty()) {
    r.text = std::string{empty};
    return r;
  }
  r.text = std::string{heading};
  int n = 0;
  for (const auto& t : tasks) {
    r.text += "\n" + std::to_string(++n) + ". " + task_phrase(t, now, time_zone);
    r.actions.push_back(task_card(t, "listed"));
  }
  if (more) r.text += "\n…and more; open the task list to see them all.";
  return r;
}

}  // namespace tickler::services::assistant
