#pragma once
// The built-in assistant's grammar: one chat message read into a Command. Pure: no I/O, no
// clock; docs/assistant.md lists every form with examples. Matching is case-insensitive, on
// whole words; a trailing '.', '?' or '!' and a leading "please" are ignored.
//
//   add / create / new (task) <quick-add line>, remind me to <line>     → add
//   what's due today | tomorrow | this week, overdue, show #home, high priority,
//   find | search (for) <words>, show (my) tasks                        → list
//   complete | finish | done | mark <name> (as) done | tick off <name>   → complete
//   reopen | uncomplete <name>, mark <name> (as) not done | pending     → reopen
//   delete | remove <name>                                               → remove (confirmed)
//   rename <name> to <title>                                             → rename
//   move | reschedule | postpone | push <name> to <date and time>       → reschedule
//   remind me about | of <name> <N> <unit> before                       → remind
//   undo; yes / no; a number (the answer to a numbered choice); help
// A <name> may be quoted ("rename \"go to bank\" to visit the bank") and may be "it" / "that":
// the task the conversation last acted on or showed alone.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickler::services::assistant {

enum class CommandKind {
  unknown,
  help,
  add,
  list,
  complete,
  reopen,
  remove,
  rename,
  reschedule,
  remind,
  undo,
  yes,
  no,
  choose
};

// The due window of a listing, in the user's time zone (see windows.hpp).
enum class DueWindow { any, today, tomorrow, this_week, overdue };

struct ListFilter {
  DueWindow window = DueWindow::any;
  std::vector<std::string> tags;
  std::optional<std::string> priority;  // high | medium | low
  std::vector<std::string> words;       // search words
  bool include_completed = false;       // "show all", "completed"

  friend bool operator==(const ListFilter&, const ListFilter&) = default;
};

struct Command {
  CommandKind kind = CommandKind::unknown;
  std::string name;      // the task named (complete … remind), or the quick-add line (add)
  std::string argument;  // rename: the new title; reschedule: the date and time text
  int number = 0;        // choose: the option (1-based); remind: minutes before
  ListFilter filter;     // list

  friend bool operator==(const Command&, const Command&) = default;
};

// The command a message says; kind unknown when it says none of the forms above.
[[nodiscard]] Command parse_command(std::string_view message);

// "it", "that", "this", "that one", "this task": the task last talked about.
[[nodiscard]] bool names_last_task(std::string_view name);

// "30 minutes", "1 hour", "2h", "a day", "an hour", "1 week": minutes, or none.
[[nodiscard]] std::optional<int> parse_duration_minutes(std::string_view text);

[[nodiscard]] std::string_view to_string(CommandKind kind);

}  // namespace tickler::services::assistant
