#include "services/assistant/dialogue.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace tickler::services::assistant {
namespace {

namespace json = boost::json;

std::string folded(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::string out{s};
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

json::object ref_json(const TaskRef& t) {
  json::object o{{"id", t.id}, {"title", t.title}, {"status", t.status}};
  o["due_at"] = t.due_at ? json::value(*t.due_at) : json::value(nullptr);
  return o;
}

std::optional<TaskRef> ref_of(const json::value* v) {
  if (!v || !v->is_object()) return std::nullopt;
  return task_ref(v->as_object());
}

std::string string_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string{v->as_string()} : std::string{};
}

json::object command_json(const Command& c) {
  return {{"kind", to_string(c.kind)},
          {"name", c.name},
          {"argument", c.argument},
          {"number", c.number}};
}

std::optional<Command> command_of(const json::value* v) {
  if (!v || !v->is_object()) return std::nullopt;
  const auto& o = v->as_object();
  Command c;
  const auto kind = string_of(o, "kind");
  for (auto k : {CommandKind::complete, CommandKind::reopen, CommandKind::remove,
                 CommandKind::rename, CommandKind::reschedule, CommandKind::remind}) {
    if (to_string(k) == kind) c.kind = k;
  }
  if (c.kind == CommandKind::unknown) return std::nullopt;
  c.name = string_of(o, "name");
  c.argument = string_of(o, "argument");
  if (const auto* n = o.if_contains("number"); n && n->is_int64()) {
    c.number = static_cast<int>(n->as_int64());
  }
  return c;
}

}  // namespace

std::optional<TaskRef> task_ref(const json::object& task) {
  const auto* id = task.if_contains("id");
  if (!id || !id->is_int64() || id->as_int64() <= 0) return std::nullopt;
  TaskRef t;
  t.id = id->as_int64();
  t.title = string_of(task, "title");
  if (const auto* due = task.if_contains("due_at"); due && due->is_string()) {
    t.due_at = std::string{due->as_string()};
  }
  if (auto status = string_of(task, "status"); !status.empty()) t.status = std::move(status);
  return t;
}

std::string state_to_json(const TurnState& s) {
  json::object o;
  if (s.choice_for) {
    json::array options;
    for (const auto& t : s.options) options.push_back(ref_json(t));
    o["choice"] =
        json::object{{"command", command_json(*s.choice_for)}, {"options", std::move(options)}};
  }
  if (s.confirm_delete) o["confirm_delete"] = ref_json(*s.confirm_delete);
  if (s.undo) {
    o["undo"] = json::object{
        {"change", s.undo->change}, {"task", ref_json(s.undo->task)}, {"fields", s.undo->fields}};
  }
  if (s.last_task) o["last_task"] = ref_json(*s.last_task);
  return json::serialize(o);
}

TurnState state_from_json(std::string_view text) {
  TurnState s;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return s;
  const auto& o = v.as_object();
  if (const auto* c = o.if_contains("choice"); c && c->is_object()) {
    s.choice_for = command_of(c->as_object().if_contains("command"));
    if (const auto* opts = c->as_object().if_contains("options"); opts && opts->is_array()) {
      for (const auto& item : opts->as_array()) {
        if (auto t = ref_of(&item)) s.options.push_back(std::move(*t));
      }
    }
    if (s.options.empty()) s.choice_for.reset();
    if (!s.choice_for) s.options.clear();
  }
  s.confirm_delete = ref_of(o.if_contains("confirm_delete"));
  if (const auto* u = o.if_contains("undo"); u && u->is_object()) {
    const auto& uo = u->as_object();
    auto task = ref_of(uo.if_contains("task"));
    const auto* fields = uo.if_contains("fields");
    if (task) {
      s.undo = UndoRecord{string_of(uo, "change"), std::move(*task),
                          fields && fields->is_object() ? fields->as_object() : json::object{}};
    }
  }
  s.last_task = ref_of(o.if_contains("last_task"));
  return s;
}

std::vector<TaskRef> best_matches(std::string_view name, const std::vector<TaskRef>& found,
                                  std::size_t limit) {
  const auto key = folded(name);
  std::vector<TaskRef> exact;
  std::vector<TaskRef> containing;
  for (const auto& t : found) {
    const auto title = folded(t.title);
    if (title == key) {
      exact.push_back(t);
    } else if (!key.empty() && title.find(key) != std::string::npos) {
      containing.push_back(t);
    }
  }
  auto out = !exact.empty() ? exact : !containing.empty() ? containing : found;
  if (out.size() > limit) out.resize(limit);
  return out;
}

json::object recreate_fields(const json::object& task) {
  json::object out;
  for (const auto* key : {"title", "description", "priority", "tags", "due_at", "time_zone",
                          "reminders", "recurrence"}) {
    if (const auto* v = task.if_contains(key); v && !v->is_null()) out[key] = *v;
  }
  return out;
}

}  // namespace tickler::services::assistant
