#include "services/assistant/grammar.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <vector>

namespace tickler::services::assistant {
namespace {

// A phrase: words in order. Vectors, not initializer lists, so nested phrases own their words.
using Seq = std::vector<std::string_view>;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

// The message's words: lower-case keys (what is matched) and their place in the original text
// (what names and titles are cut from, so they keep their case).
class Words {
 public:
  explicit Words(std::string_view message) {
    std::size_t end = message.size();
    while (end > 0 && (is_space(message[end - 1]) || message[end - 1] == '.' ||
                       message[end - 1] == '?' || message[end - 1] == '!')) {
      --end;
    }
    text_ = std::string{message.substr(0, end)};
    for (std::size_t i = 0; i < text_.size();) {
      while (i < text_.size() && is_space(text_[i])) ++i;
      if (i >= text_.size()) break;
      std::size_t j = i;
      if (text_[i] == '"') {  // a quoted text is one word, quotes included
        const auto close = text_.find('"', i + 1);
        j = close == std::string::npos ? i + 1 : close + 1;
      }
      while (j < text_.size() && !is_space(text_[j])) ++j;
      begins_.push_back(i);
      ends_.push_back(j);
      keys_.push_back(lowered(std::string_view{text_}.substr(i, j - i)));
      i = j;
    }
    // A word's trailing ',' or ':' is punctuation, not part of it ("add: milk").
    for (auto& k : keys_) {
      while (!k.empty() && (k.back() == ',' || k.back() == ':')) k.pop_back();
    }
  }

  [[nodiscard]] std::size_t size() const { return keys_.size(); }
  [[nodiscard]] std::string_view key(std::size_t i) const {
    return i < keys_.size() ? std::string_view{keys_[i]} : std::string_view{};
  }
  // Whether the words from `at` on are `seq`.
  [[nodiscard]] bool at(std::size_t from, const Seq& seq) const {
    std::size_t i = from;
    for (const auto w : seq) {
      if (key(i++) != w) return false;
    }
    return true;
  }
  // The original text of words [from, to).
  [[nodiscard]] std::string span(std::size_t from, std::size_t to) const {
    if (from >= to || from >= size()) return {};
    to = std::min(to, size());
    return text_.substr(begins_[from], ends_[to - 1] - begins_[from]);
  }
  // The last (or first) word `w` in [from, to), or npos.
  [[nodiscard]] std::size_t find(std::string_view w, std::size_t from, std::size_t to,
                                 bool last) const {
    std::size_t found = std::string::npos;
    for (std::size_t i = from; i < std::min(to, size()); ++i) {
      if (key(i) == w) {
        found = i;
        if (!last) break;
      }
    }
    return found;
  }
  [[nodiscard]] bool all_in(std::size_t from, std::initializer_list<Seq> phrases) const {
    if (from >= size()) return true;
    return std::any_of(phrases.begin(), phrases.end(),
                       [&](const Seq& p) { return p.size() == size() - from && at(from, p); });
  }

 private:
  std::string text_;
  std::vector<std::string> keys_;
  std::vector<std::size_t> begins_;
  std::vector<std::size_t> ends_;
};

// A task's name as written: without a leading "the" / "my" or a trailing "task", and without
// the quotes around a quoted name.
std::string clean_name(const Words& w, std::size_t from, std::size_t to) {
  if (from < to && (w.key(from) == "the" || w.key(from) == "my") && to - from > 1) ++from;
  if (to - from > 1 && w.key(to - 1) == "task") --to;
  std::string name = w.span(from, to);
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  return name;
}

std::optional<int> small_number(std::string_view key) {
  static constexpr std::array<std::string_view, 9> ordinals{
      "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"};
  for (std::size_t i = 0; i < ordinals.size(); ++i) {
    if (key == ordinals[i]) return static_cast<int>(i) + 1;
  }
  if (!key.empty() && key.front() == '#') key.remove_prefix(1);
  for (const auto suffix : {"st", "nd", "rd", "th"}) {
    if (key.size() > 2 && key.ends_with(suffix)) key.remove_suffix(2);
  }
  int n = 0;
  const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
  if (ec != std::errc{} || ptr != key.data() + key.size() || n < 1 || n > 99) return std::nullopt;
  return n;
}

std::optional<int> choice(const Words& w) {
  std::size_t i = 0;
  if (w.at(0, {"number"}) || w.at(0, {"option"}) || w.at(0, {"the"})) i = 1;
  if (w.size() == i + 2 && w.key(i + 1) == "one") return small_number(w.key(i));
  if (w.size() != i + 1) return std::nullopt;
  return small_number(w.key(i));
}

Command of(CommandKind kind, std::string name = {}, std::string argument = {}) {
  Command c;
  c.kind = kind;
  c.name = std::move(name);
  c.argument = std::move(argument);
  return c;
}

// "<name> to <rest>": split at the first (rename) or last (reschedule) "to", or right after a
// quoted name. False when there is no such split.
bool split_to(const Words& w, std::size_t from, bool last, std::string& name, std::string& rest) {
  std::size_t to = std::string::npos;
  if (!w.key(from).empty() && w.key(from).front() == '"' && w.key(from + 1) == "to") {
    to = from + 1;
  } else {
    to = w.find("to", from + 1, w.size(), last);
  }
  if (to == std::string::npos || to + 1 >= w.size()) return false;
  name = clean_name(w, from, to);
  rest = w.span(to + 1, w.size());
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') {
    rest = rest.substr(1, rest.size() - 2);
  }
  return !name.empty();
}

// "remind me about <name> [<duration> before]".
Command remind(const Words& w, std::size_t from) {
  std::size_t to = w.size();
  int minutes = 0;
  if (to > from + 1 && w.key(to - 1) == "before") {
    if (to > from + 2) {
      if (auto m = parse_duration_minutes(w.span(to - 3, to - 1)); m && to - 3 > from) {
        minutes = *m;
        to -= 3;
      } else if (auto m1 = parse_duration_minutes(w.key(to - 2))) {
        minutes = *m1;
        to -= 2;
      } else {
        return {};
      }
    } else {
      return {};
    }
  }
  auto c = of(CommandKind::remind, clean_name(w, from, to));
  c.number = minutes;
  return c.name.empty() ? Command{} : c;
}

// The listing filters of the words from `from` on; nullopt when a word is none of them (then
// `loose` takes unknown words as search words instead).
std::optional<ListFilter> list_filter(const Words& w, std::size_t from, bool loose) {
  ListFilter f;
  bool due_word = false;
  for (std::size_t i = from; i < w.size(); ++i) {
    const auto k = w.key(i);
    if (k == "today" || k == "tonight") {
      f.window = DueWindow::today;
    } else if (k == "tomorrow") {
      f.window = DueWindow::tomorrow;
    } else if ((k == "this" || k == "the") && w.key(i + 1) == "week") {
      f.window = DueWindow::this_week;
      ++i;
    } else if (k == "week") {
      f.window = DueWindow::this_week;
    } else if (k == "overdue" || k == "late") {
      f.window = DueWindow::overdue;
    } else if (k == "due") {
      due_word = true;
    } else if (k.size() > 1 && k.front() == '#') {
      f.tags.emplace_back(k.substr(1));
    } else if ((k == "tagged" || k == "tag") && i + 1 < w.size()) {
      const auto t = w.key(++i);
      f.tags.emplace_back(t.starts_with('#') ? t.substr(1) : t);
    } else if (k == "high" || k == "medium" || k == "low" || k == "!high" || k == "!medium" ||
               k == "!low" || k == "urgent" || k == "important") {
      f.priority = std::string{k.starts_with('!') ? k.substr(1) : k};
      if (*f.priority == "urgent" || *f.priority == "important") f.priority = "high";
      if (w.key(i + 1) == "priority" || w.key(i + 1) == "prio") ++i;
    } else if (k == "completed" || k == "done" || k == "finished") {
      f.include_completed = true;
    } else if (k == "my" || k == "tasks" || k == "task" || k == "me" || k == "all" || k == "for" ||
               k == "i" || k == "have" || k == "on" || k == "in" || k == "the" || k == "things" ||
               k == "todo" || k == "todos" || k == "is" || k == "are" || k == "what" ||
               k == "what's" || k == "what’s" || k == "whats" || k == "there" || k == "anything" ||
               k == "pending" || k == "open" || k == "do" || k == "left" || k == "priority" ||
               k == "with" || k == "to" || k == "items" || k == "list") {
      continue;
    } else if (loose) {
      f.words.emplace_back(k);
    } else {
      return std::nullopt;
    }
  }
  // "what's due" alone: the week ahead.
  if (due_word && f.window == DueWindow::any) f.window = DueWindow::this_week;
  return f;
}

Command list_of(ListFilter f) {
  Command c;
  c.kind = CommandKind::list;
  c.filter = std::move(f);
  return c;
}

Command parse_words(const Words& w) {
  if (w.size() == 0) return {};
  if (w.all_in(0, {{"help"},
                   {"?"},
                   {"commands"},
                   {"what", "can", "you", "do"},
                   {"what", "can", "i", "say"},
                   {"hi"},
                   {"hello"}})) {
    return of(CommandKind::help);
  }
  if (w.at(0, {"undo"}) && w.all_in(1, {{}, {"that"}, {"it"}, {"last"}, {"this"}})) {
    return of(CommandKind::undo);
  }
  if (w.all_in(0, {{"yes"},
                   {"y"},
                   {"yeah"},
                   {"yep"},
                   {"sure"},
                   {"ok"},
                   {"okay"},
                   {"confirm"},
                   {"do", "it"},
                   {"yes", "delete", "it"},
                   {"go", "ahead"}})) {
    return of(CommandKind::yes);
  }
  if (w.all_in(0, {{"no"},
                   {"n"},
                   {"nope"},
                   {"cancel"},
                   {"never", "mind"},
                   {"nevermind"},
                   {"stop"},
                   {"don't"},
                   {"keep", "it"}})) {
    return of(CommandKind::no);
  }
  if (auto n = choice(w)) {
    auto c = of(CommandKind::choose);
    c.number = *n;
    return c;
  }
  // Reminders before adding: "remind me to …" adds, "remind me about …" reminds.
  if (w.at(0, {"remind", "me", "to"})) return of(CommandKind::add, w.span(3, w.size()));
  for (const Seq& lead : {Seq{"remind", "me", "about"}, Seq{"remind", "me", "of"},
                          Seq{"add", "a", "reminder", "to"}, Seq{"add", "a", "reminder", "for"},
                          Seq{"set", "a", "reminder", "for"}, Seq{"add", "reminder", "to"}}) {
    if (w.at(0, lead)) return remind(w, lead.size());
  }
  for (const Seq& lead : {Seq{"add", "a", "task"}, Seq{"add", "task"}, Seq{"create", "a", "task"},
                          Seq{"create", "task"}, Seq{"new", "task"}, Seq{"add"}, Seq{"create"}}) {
    if (w.at(0, lead) && w.size() > lead.size()) {
      return of(CommandKind::add, w.span(lead.size(), w.size()));
    }
  }
  // "mark <name> (as) done|not done|pending".
  if (w.at(0, {"mark"}) && w.size() > 2) {
    std::size_t end = w.size();
    const bool negated = w.key(end - 2) == "not" || w.key(end - 1) == "undone" ||
                         w.key(end - 1) == "pending" || w.key(end - 1) == "incomplete" ||
                         w.key(end - 1) == "open";
    const auto last = w.key(end - 1);
    if (last == "done" || last == "complete" || last == "completed" || last == "finished" ||
        negated) {
      end -= w.key(end - 2) == "not" ? 2U : 1U;
      if (w.key(end - 1) == "as") --end;
      return of(negated ? CommandKind::reopen : CommandKind::complete, clean_name(w, 1, end));
    }
  }
  for (const auto& [lead, kind] : std::initializer_list<std::pair<Seq, CommandKind>>{
           {{"tick", "off"}, CommandKind::complete},
           {{"check", "off"}, CommandKind::complete},
           {{"i", "did"}, CommandKind::complete},
           {{"i", "finished"}, CommandKind::complete},
           {{"done", "with"}, CommandKind::complete},
           {{"complete"}, CommandKind::complete},
           {{"finish"}, CommandKind::complete},
           {{"done"}, CommandKind::complete},
           {{"reopen"}, CommandKind::reopen},
           {{"uncomplete"}, CommandKind::reopen},
           {{"unfinish"}, CommandKind::reopen},
           {{"delete"}, CommandKind::remove},
           {{"remove"}, CommandKind::remove},
           {{"drop"}, CommandKind::remove},
           {{"trash"}, CommandKind::remove}}) {
    if (w.at(0, lead) && w.size() > lead.size()) {
      auto name = clean_name(w, lead.size(), w.size());
      if (!name.empty()) return of(kind, std::move(name));
    }
  }
  for (const Seq& lead : {Seq{"rename"}, Seq{"retitle"}}) {
    std::string name;
    std::string title;
    if (w.at(0, lead) && split_to(w, lead.size(), false, name, title)) {
      return of(CommandKind::rename, std::move(name), std::move(title));
    }
  }
  for (const Seq& lead : {Seq{"move"}, Seq{"reschedule"}, Seq{"postpone"}, Seq{"push"},
                          Seq{"defer"}, Seq{"change", "the", "due", "date", "of"}}) {
    std::string name;
    std::string when;
    if (w.at(0, lead) && split_to(w, lead.size(), true, name, when)) {
      return of(CommandKind::reschedule, std::move(name), std::move(when));
    }
  }
  for (const Seq& lead : {Seq{"search", "for"}, Seq{"look", "for"}, Seq{"find"}, Seq{"search"}}) {
    if (w.at(0, lead) && w.size() > lead.size()) {
      ListFilter f;
      for (std::size_t i = lead.size(); i < w.size(); ++i) f.words.emplace_back(w.key(i));
      return list_of(std::move(f));
    }
  }
  for (const Seq& lead : {Seq{"show", "me"}, Seq{"what", "do", "i", "have"}, Seq{"what's"},
                          Seq{"what’s"}, Seq{"whats"}, Seq{"what", "is"}, Seq{"what", "are"},
                          Seq{"show"}, Seq{"list"}, Seq{"display"}, Seq{"what"}}) {
    if (w.at(0, lead)) {
      if (auto f = list_filter(w, lead.size(), true)) return list_of(std::move(*f));
    }
  }
  if (auto f = list_filter(w, 0, false)) return list_of(std::move(*f));
  return {};
}

}  // namespace

Command parse_command(std::string_view message) {
  const Words all{message};
  // "please" / "can you" / "could you" first, "please" last: politeness, not meaning.
  std::string trimmed = all.span(0, all.size());
  for (const Seq& lead : {Seq{"please"}, Seq{"can", "you"}, Seq{"could", "you"}}) {
    if (all.at(0, lead)) {
      trimmed = all.span(lead.size(), all.size());
      break;
    }
  }
  Words w{trimmed};
  if (w.size() > 1 && w.key(w.size() - 1) == "please") w = Words{w.span(0, w.size() - 1)};
  return parse_words(w);
}

bool names_last_task(std::string_view name) {
  const auto k = lowered(name);
  return k == "it" || k == "that" || k == "this" || k == "that one" || k == "this one" ||
         k == "this task" || k == "that task" || k == "it as";
}

std::optional<int> parse_duration_minutes(std::string_view text) {
  const Words w{text};
  std::string amount;
  std::string unit;
  if (w.size() == 2) {
    amount = w.key(0);
    unit = w.key(1);
  } else if (w.size() == 1) {
    const auto k = w.key(0);
    const auto split = k.find_first_not_of("0123456789");
    if (split == 0 || split == std::string_view::npos) return std::nullopt;
    amount = k.substr(0, split);
    unit = k.substr(split);
  } else {
    return std::nullopt;
  }
  int n = 0;
  if (amount == "a" || amount == "an" || amount == "one") {
    n = 1;
  } else {
    const auto [ptr, ec] = std::from_chars(amount.data(), amount.data() + amount.size(), n);
    if (ec != std::errc{} || ptr != amount.data() + amount.size() || n < 0 || n > 10000) {
      return std::nullopt;
    }
  }
  for (const auto& [names, minutes] :
       std::initializer_list<std::pair<Seq, int>>{{{"m", "min", "mins", "minute", "minutes"}, 1},
                                                  {{"h", "hr", "hrs", "hour", "hours"}, 60},
                                                  {{"d", "day", "days"}, 1440},
                                                  {{"w", "wk", "week", "weeks"}, 10080}}) {
    if (std::find(names.begin(), names.end(), unit) != names.end()) {
      const long total = static_cast<long>(n) * minutes;
      if (total > 366L * 1440) return std::nullopt;
      return static_cast<int>(total);
    }
  }
  return std::nullopt;
}

std::string_view to_string(CommandKind kind) {
  static constexpr std::array<std::string_view, 14> names{
      "unknown", "help",       "add",    "list", "complete", "reopen", "remove",
      "rename",  "reschedule", "remind", "undo", "yes",      "no",     "choose"};
  return names[static_cast<std::size_t>(kind)];
}

}  // namespace tickler::services::assistant
