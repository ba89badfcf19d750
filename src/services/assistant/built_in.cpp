#include "services/assistant/built_in.hpp"

#include <algorithm>
#include <array>

#include "core/quick_add.hpp"
#include "services/assistant/windows.hpp"

namespace tickler::services::assistant {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;

constexpr std::int64_t k_list_limit = 20;
// Tool names as constants, and tool arguments built before the co_await: GCC 12 miscompiles a
// string literal or a braced list of them inside a co_await expression ("array used as
// initializer").
constexpr std::string_view k_add_task = "add_task";
constexpr std::string_view k_list_tasks = "list_tasks";
constexpr std::string_view k_get_task = "get_task";
constexpr std::string_view k_update_task = "update_task";
constexpr std::string_view k_complete_task = "complete_task";
constexpr std::string_view k_reopen_task = "reopen_task";
constexpr std::string_view k_delete_task = "delete_task";

json::object id_args(std::int64_t id) {
  return {{"id", id}};
}

std::string error_code(const wire::ToolOutcome& o) {
  const auto* e = o.structured.if_contains("error");
  const auto* code = e && e->is_object() ? e->as_object().if_contains("code") : nullptr;
  return code && code->is_string() ? std::string{code->as_string()} : std::string{};
}

std::string error_message(const wire::ToolOutcome& o) {
  const auto* e = o.structured.if_contains("error");
  const auto* m = e && e->is_object() ? e->as_object().if_contains("message") : nullptr;
  return m && m->is_string() ? std::string{m->as_string()} : o.text;
}

std::string minutes_phrase(int minutes) {
  if (minutes == 0) return "at the due time";
  const auto unit = [](int n, const char* one) {
    return std::to_string(n) + " " + one + (n == 1 ? "" : "s");
  };
  if (minutes % 10080 == 0) return unit(minutes / 10080, "week") + " before";
  if (minutes % 1440 == 0) return unit(minutes / 1440, "day") + " before";
  if (minutes % 60 == 0) return unit(minutes / 60, "hour") + " before";
  return unit(minutes, "minute") + " before";
}

std::vector<TaskRef> refs_of(const json::object& page) {
  std::vector<TaskRef> out;
  if (const auto* items = page.if_contains("items"); items && items->is_array()) {
    for (const auto& item : items->as_array()) {
      if (!item.is_object()) continue;
      if (auto t = task_ref(item.as_object())) out.push_back(std::move(*t));
    }
  }
  return out;
}

// The heading of a listing and what to say when it is empty.
std::pair<std::string, std::string> listing_words(const ListFilter& f) {
  std::string what = f.priority ? *f.priority + " priority tasks" : "tasks";
  if (!f.tags.empty()) {
    what += " tagged";
    for (const auto& t : f.tags) what += " #" + t;
  }
  if (!f.words.empty()) {
    std::string words;
    for (const auto& w : f.words) words += (words.empty() ? "" : " ") + w;
    what += " matching “" + words + "”";
  }
  static constexpr std::array<std::string_view, 5> windows{"", " due today", " due tomorrow",
                                                           " due this week", " that are overdue"};
  what += windows[static_cast<std::size_t>(f.window)];
  std::string heading = what;
  heading[0] = static_cast<char>(heading[0] - 'a' + 'A');
  return {heading + ":", "No " + what + "."};
}

class Turn {
 public:
  Turn(const TurnInput& in, TurnState& state, ToolRunner& tools)
      : in_(in), state_(state), tools_(tools) {}

  awaitable<Reply> run() {
    const auto cmd = parse_command(in_.message);
    if (state_.choice_for) {
      const auto pending = *state_.choice_for;
      const auto options = state_.options;
      state_.choice_for.reset();
      state_.options.clear();
      if (cmd.kind == CommandKind::choose) {
        if (cmd.number < 1 || static_cast<std::size_t>(cmd.number) > options.size()) {
          state_.choice_for = pending;
          state_.options = options;
          co_return Reply{"Please answer with a number from 1 to " +
                              std::to_string(options.size()) + ", or say “cancel”.",
                          {}};
        }
        co_return co_await act(pending, options[static_cast<std::size_t>(cmd.number) - 1]);
      }
      if (cmd.kind == CommandKind::no) co_return Reply{"OK, never mind.", {}};
    }
    if (state_.confirm_delete) {
      const auto task = *state_.confirm_delete;
      state_.confirm_delete.reset();
      if (cmd.kind == CommandKind::yes) co_return co_await remove_confirmed(task);
      if (cmd.kind == CommandKind::no) co_return Reply{"OK, I kept " + phrase(task) + ".", {}};
    }
    co_return co_await dispatch(cmd);
  }

 private:
  awaitable<Reply> dispatch(const Command& c) {
    switch (c.kind) {
      case CommandKind::help:
        co_return Reply{help_text(), {}};
      case CommandKind::add:
        co_return co_await add(c);
      case CommandKind::list:
        co_return co_await list(c.filter);
      case CommandKind::undo:
        co_return co_await undo();
      case CommandKind::yes:
      case CommandKind::no:
      case CommandKind::choose:
        co_return Reply{
            "There is no question waiting for an answer. Say “help” to see what I can do.", {}};
      case CommandKind::complete:
      case CommandKind::reopen:
      case CommandKind::remove:
      case CommandKind::rename:
      case CommandKind::reschedule:
      case CommandKind::remind:
        co_return co_await named(c);
      case CommandKind::unknown:
        break;
    }
    co_return Reply{"Sorry, I didn't understand that. Say “help” to see what I can do.", {}};
  }

  awaitable<Reply> add(const Command& c) {
    json::object args{{"text", c.name}, {"time_zone", in_.time_zone}};
    auto out = co_await tools_.call(k_add_task, args);
    if (out.is_error) co_return failed(out, "add that");
    auto t = task_ref(out.structured);
    if (!t) co_return failed(out, "add that");
    state_.undo = UndoRecord{"added", *t, {}};
    state_.last_task = *t;
    std::string text = "Added " + phrase(*t) + ".";
    if (const auto* r = out.structured.if_contains("recurrence"); r && r->is_object()) {
      text += " It repeats.";
    }
    co_return Reply{text, {task_card(*t, "added")}};
  }

  awaitable<Reply> list(const ListFilter& f) {
    auto range = due_range(f.window, in_.now, in_.time_zone);
    if (!range) co_return Reply{"I can't read dates in that time zone.", {}};
    json::object args{{"status", f.include_completed ? "all" : "pending"},
                      {"sort", "due"},
                      {"order", "asc"},
                      {"limit", k_list_limit}};
    if (!f.words.empty()) {
      std::string q;
      for (const auto& w : f.words) q += (q.empty() ? "" : " ") + w;
      args["q"] = q;
    }
    if (!f.tags.empty()) {
      json::array tags;
      for (const auto& t : f.tags) tags.emplace_back(t);
      args["tag"] = std::move(tags);
    }
    if (f.priority) args["priority"] = *f.priority;
    if (range->after) args["due_after"] = core::format_rfc3339(*range->after);
    if (range->before) args["due_before"] = core::format_rfc3339(*range->before);
    auto out = co_await tools_.call(k_list_tasks, args);
    if (out.is_error) co_return failed(out, "list your tasks");
    const auto tasks = refs_of(out.structured);
    const auto* next = out.structured.if_contains("next_cursor");
    if (tasks.size() == 1) state_.last_task = tasks.front();
    const auto [heading, empty] = listing_words(f);
    co_return listing_reply(heading, empty, tasks, next && next->is_string(), in_.now,
                            in_.time_zone);
  }

  // Finds the task a command names, then acts on it (or asks which one).
  awaitable<Reply> named(const Command& c) {
    if (names_last_task(c.name)) {
      if (!state_.last_task) {
        co_return Reply{"Which task do you mean? Name it by (part of) its title.", {}};
      }
      co_return co_await act(c, *state_.last_task);
    }
    const char* status = c.kind == CommandKind::complete ? "pending"
                         : c.kind == CommandKind::reopen ? "completed"
                                                         : "all";
    json::object args{{"q", c.name},
                      {"status", status},
                      {"sort", "due"},
                      {"order", "asc"},
                      {"limit", k_list_limit}};
    auto out = co_await tools_.call(k_list_tasks, args);
    if (out.is_error) co_return failed(out, "look for “" + c.name + "”");
    const auto matches = best_matches(c.name, refs_of(out.structured));
    if (matches.empty()) {
      const std::string kind = c.kind == CommandKind::complete ? "pending task"
                               : c.kind == CommandKind::reopen ? "completed task"
                                                               : "task";
      co_return Reply{"I couldn't find a " + kind + " called “" + c.name + "”.", {}};
    }
    if (matches.size() == 1) co_return co_await act(c, matches.front());
    state_.choice_for = c;
    state_.options = matches;
    co_return choice_reply("Which “" + c.name + "” do you mean?", matches, in_.now, in_.time_zone);
  }

  awaitable<Reply> act(const Command& c, const TaskRef& t) {
    switch (c.kind) {
      case CommandKind::complete:
      case CommandKind::reopen: {
        const bool complete = c.kind == CommandKind::complete;
        const auto tool = complete ? k_complete_task : k_reopen_task;
        const auto args = id_args(t.id);
        auto out = co_await tools_.call(tool, args);
        if (out.is_error) co_return failed(out, complete ? "complete that" : "reopen that");
        const auto done = task_ref(out.structured).value_or(t);
        state_.undo = UndoRecord{complete ? "completed" : "reopened", done, {}};
        state_.last_task = done;
        co_return Reply{complete ? "Done: " + phrase(done) + " is completed."
                                 : "Reopened " + phrase(done) + ".",
                        {task_card(done, complete ? "completed" : "reopened")}};
      }
      case CommandKind::remove: {
        state_.confirm_delete = t;
        Reply r{"Delete " + phrase(t) + "? Answer yes or no.", {}};
        r.actions.push_back(task_card(t, "to_delete"));
        r.actions.push_back(json::object{{"type", "confirm"},
                                         {"question", "Delete “" + t.title + "”?"},
                                         {"answers", json::array{"yes", "no"}}});
        co_return r;
      }
      default:
        co_return co_await update(c, t);
    }
  }

  // rename, reschedule, remind: one update_task, its previous fields kept for undo.
  awaitable<Reply> update(const Command& c, const TaskRef& t) {
    const auto id = id_args(t.id);
    auto current = co_await tools_.call(k_get_task, id);
    if (current.is_error) co_return failed(current, "read " + phrase(t));
    const auto& task = current.structured;
    json::object change{{"id", t.id}};
    json::object before;
    std::string done;
    if (c.kind == CommandKind::rename) {
      change["title"] = c.argument;
      before["title"] = task.at("title");
      done = "Renamed " + phrase(t) + " to “" + c.argument + "”.";
    } else if (c.kind == CommandKind::reschedule) {
      auto when = core::parse_quick_add(c.argument, in_.now, in_.time_zone);
      if (!when || !when->due_at) {
        co_return Reply{"I couldn't read a date in “" + c.argument +
                            "”. Try e.g. “friday 3pm”, “tomorrow” or “dec 24 at 9am”.",
                        {}};
      }
      change["due_at"] = core::format_rfc3339(*when->due_at);
      before["due_at"] = task.at("due_at");
      done =
          "Moved “" + t.title + "” to " + describe_due(*when->due_at, in_.now, in_.time_zone) + ".";
    } else {
      const auto* due = task.if_contains("due_at");
      if (!due || !due->is_string()) {
        co_return Reply{phrase(t) +
                            " has no due date, so there is nothing to remind you before. "
                            "Give it one first, e.g. “move " +
                            t.title + " to friday 3pm”.",
                        {}};
      }
      json::array reminders;
      if (const auto* r = task.if_contains("reminders"); r && r->is_array())
        reminders = r->as_array();
      before["reminders"] = reminders;
      const json::value wanted = json::object{{"before_minutes", c.number}};
      if (std::find(reminders.begin(), reminders.end(), wanted) != reminders.end()) {
        co_return Reply{
            "You already have a reminder " + minutes_phrase(c.number) + " " + phrase(t) + ".", {}};
      }
      reminders.push_back(wanted);
      change["reminders"] = std::move(reminders);
      done = "I'll remind you " + minutes_phrase(c.number) + " " + phrase(t) + ".";
    }
    auto out = co_await tools_.call(k_update_task, change);
    if (out.is_error) co_return failed(out, "change " + phrase(t));
    const auto updated = task_ref(out.structured).value_or(t);
    state_.undo = UndoRecord{"updated", updated, std::move(before)};
    state_.last_task = updated;
    co_return Reply{done, {task_card(updated, "updated")}};
  }

  awaitable<Reply> remove_confirmed(const TaskRef& t) {
    const auto id = id_args(t.id);
    auto current = co_await tools_.call(k_get_task, id);
    if (current.is_error) co_return failed(current, "delete " + phrase(t));
    auto out = co_await tools_.call(k_delete_task, id);
    if (out.is_error) co_return failed(out, "delete " + phrase(t));
    state_.undo = UndoRecord{"deleted", t, recreate_fields(current.structured)};
    if (state_.last_task && state_.last_task->id == t.id) state_.last_task.reset();
    co_return Reply{"Deleted " + phrase(t) + ". Say “undo” to bring it back.",
                    {task_card(t, "deleted")}};
  }

  awaitable<Reply> undo() {
    if (!state_.undo) co_return Reply{"There is nothing to undo.", {}};
    const auto u = *state_.undo;
    state_.undo.reset();
    const auto& t = u.task;
    if (u.change == "deleted") {
      auto out = co_await tools_.call(k_add_task, u.fields);
      if (out.is_error) co_return failed(out, "bring back " + phrase(t));
      const auto back = task_ref(out.structured).value_or(t);
      state_.last_task = back;
      co_return Reply{"Undone: " + phrase(back) + " is back.", {task_card(back, "restored")}};
    }
    std::string tool;
    json::object args{{"id", t.id}};
    std::string change;
    std::string text;
    if (u.change == "added") {
      tool = "delete_task";
      change = "deleted";
      text = "Undone: I removed “" + t.title + "” again.";
    } else if (u.change == "completed") {
      tool = "reopen_task";
      change = "reopened";
      text = "Undone: “" + t.title + "” is pending again.";
    } else if (u.change == "reopened") {
      tool = "complete_task";
      change = "completed";
      text = "Undone: “" + t.title + "” is completed again.";
    } else {
      tool = "update_task";
      change = "updated";
      for (const auto& [k, v] : u.fields) args[k] = v;
      text = "Undone: “" + t.title + "” is back as it was.";
    }
    auto out = co_await tools_.call(tool, args);
    if (out.is_error) co_return failed(out, "undo that");
    auto after = task_ref(out.structured).value_or(t);
    if (u.change == "added") {
      if (state_.last_task && state_.last_task->id == t.id) state_.last_task.reset();
    } else {
      state_.last_task = after;
      text = "Undone: " + phrase(after) +
             (u.change == "completed"  ? " is pending again."
              : u.change == "reopened" ? " is completed again."
                                       : " is back as it was.");
    }
    co_return Reply{text, {task_card(after, change)}};
  }

  Reply failed(const wire::ToolOutcome& out, const std::string& doing) const {
    if (error_code(out) == "not_found") {
      return {"I couldn't " + doing + ": that task no longer exists.", {}};
    }
    return {"I couldn't " + doing + ": " + error_message(out), {}};
  }

  [[nodiscard]] std::string phrase(const TaskRef& t) const {
    return task_phrase(t, in_.now, in_.time_zone);
  }

  const TurnInput& in_;
  TurnState& state_;
  ToolRunner& tools_;
};

}  // namespace

awaitable<Reply> built_in_turn(const TurnInput& input, TurnState& state, ToolRunner& tools) {
  Turn turn{input, state, tools};
  co_return co_await turn.run();
}

}  // namespace tickler::services::assistant
