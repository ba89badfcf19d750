#pragma once
// What the built-in assistant keeps between turns of a conversation, and the pure decisions it
// makes about tasks: which of the tasks a search found a name stands for. The state travels as
// JSON (store::Conversation::state); an unreadable state reads as empty, never as an error.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/assistant/grammar.hpp"

namespace tickler::services::assistant {

// A task as the assistant shows and names it (from a tool's answer: data, never instructions).
struct TaskRef {
  std::int64_t id = 0;
  std::string title;
  std::optional<std::string> due_at;  // RFC 3339
  std::string status = "pending";

  friend bool operator==(const TaskRef&, const TaskRef&) = default;
};

// The last change the conversation made, and what reverting it needs.
struct UndoRecord {
  // added: delete it; completed: reopen it; reopened: complete it; updated: restore `fields`;
  // deleted: create it again from `fields` (the task as it was).
  std::string change;
  TaskRef task;
  boost::json::object fields;

  friend bool operator==(const UndoRecord&, const UndoRecord&) = default;
};

struct TurnState {
  // A numbered choice between tasks for `command`, answered by a number next turn.
  std::optional<Command> choice_for;
  std::vector<TaskRef> options;
  // A deletion waiting for yes / no.
  std::optional<TaskRef> confirm_delete;
  std::optional<UndoRecord> undo;
  // The task "it" names: the last one acted on or shown alone.
  std::optional<TaskRef> last_task;

  [[nodiscard]] bool awaiting_choice() const { return choice_for.has_value(); }
  friend bool operator==(const TurnState&, const TurnState&) = default;
};

[[nodiscard]] std::string state_to_json(const TurnState& state);
[[nodiscard]] TurnState state_from_json(std::string_view json);

// The TaskRef of a task's JSON (the REST representation), or none without an id.
[[nodiscard]] std::optional<TaskRef> task_ref(const boost::json::object& task);

// The tasks `name` stands for among `found`: those whose title is the name (ignoring case and
// surrounding space) if any; else those whose title contains it; else all found (the search
// matched them by word prefixes). At most `limit`, in the order found.
[[nodiscard]] std::vector<TaskRef> best_matches(std::string_view name,
                                                const std::vector<TaskRef>& found,
                                                std::size_t limit = 9);

// The fields of a task to create it again (undoing a delete): title, description, priority,
// tags, due_at, time_zone, reminders, recurrence.
[[nodiscard]] boost::json::object recreate_fields(const boost::json::object& task);

}  // namespace tickler::services::assistant
