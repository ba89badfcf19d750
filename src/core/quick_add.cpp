#include "core/quick_add.hpp"

#include <algorithm>

#include "core/quick_add_dates.hpp"
#include "core/validation.hpp"

namespace tickler::core {
namespace {

using quick_add_detail::Reader;
using quick_add_detail::Token;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Words split at white space and ','; see Token. Text in double quotes ("Read 1/2 of the book")
// is one word that no phrase matches, so it stays in the title as written.
std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    if (const auto close = text.find('"', i + 1);
        text[i] == '"' && close != std::string_view::npos) {
      out.push_back(Token{i, close + 1, std::string{text.substr(i, close + 1 - i)}});
      i = close + 1;
      continue;
    }
    std::size_t end = i + 1;
    if (text[i] != ',') {
      while (end < text.size() && !is_space(text[end]) && text[end] != ',') ++end;
    }
    std::string key{text.substr(i, end - i)};
    std::transform(key.begin(), key.end(), key.begin(), [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    while (key.size() > 1 && std::string_view{".?:;"}.find(key.back()) != std::string_view::npos) {
      key.pop_back();
    }
    out.push_back(Token{i, end, std::move(key)});
    i = end;
  }
  return out;
}

// "#home" → "home"; "#123" is an issue number and "## Notes" a Markdown heading, not tags.
std::optional<std::string_view> tag_from(std::string_view key) {
  if (key.size() < 2 || key.front() != '#') return std::nullopt;
  const auto body = key.substr(1);
  if (body.front() == '#' || std::all_of(body.begin(), body.end(), is_digit)) return std::nullopt;
  return body;
}

std::optional<Priority> priority_from(std::string_view key) {
  if (key == "!high" || key == "!1") return Priority::high;
  if (key == "!medium" || key == "!2") return Priority::medium;
  if (key == "!low" || key == "!3") return Priority::low;
  return std::nullopt;
}

std::optional<int> unit_minutes(std::string_view unit) {
  if (unit == "m" || unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes") {
    return 1;
  }
  if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") return 60;
  if (unit == "d" || unit == "day" || unit == "days") return 24 * 60;
  if (unit == "w" || unit == "week" || unit == "weeks") return 7 * 24 * 60;
  return std::nullopt;
}

// "remind [me] 30 min before", "remind me 2h before", "remind me an hour before".
std::optional<int> match_reminder(Reader& in) {
  Reader r = in;
  if (!r.accept("remind")) return std::nullopt;
  r.accept("me");
  const auto amount = r.take();
  std::optional<int> count;
  std::string_view unit;
  if (amount == "a" || amount == "an") {
    count = 1;
    unit = r.take();
  } else {
    const auto digits = static_cast<std::size_t>(
        std::find_if_not(amount.begin(), amount.end(), is_digit) - amount.begin());
    count = quick_add_detail::parse_number(amount.substr(0, digits), 9999);
    unit = digits < amount.size() ? amount.substr(digits) : r.take();  // "2h" or "2 h"
  }
  const auto per = unit_minutes(unit);
  if (!count || !per || !r.accept("before")) return std::nullopt;
  in = r;
  return *count * *per;
}

bool is_separator(std::string_view key) {
  return !key.empty() && key.find_first_not_of(",;:-") == std::string_view::npos;
}

// The line without the dropped words, white space collapsed. Once something is dropped,
// separator words (",", "-", …) right after a dropped word or at either end go too, and so do
// ',' ';' ':' glued to either end.
std::string title_without(std::string_view text, const std::vector<Token>& tokens,
                          std::vector<bool> drop) {
  const bool dropped = std::find(drop.begin(), drop.end(), true) != drop.end();
  if (dropped) {
    for (std::size_t i = 1; i < tokens.size(); ++i) {
      if (drop[i - 1] && is_separator(tokens[i].key)) drop[i] = true;
    }
    for (std::size_t i = 0; i < tokens.size() && (drop[i] || is_separator(tokens[i].key)); ++i) {
      drop[i] = true;
    }
    for (std::size_t i = tokens.size(); i > 0 && (drop[i - 1] || is_separator(tokens[i - 1].key));
         --i) {
      drop[i - 1] = true;
    }
  }
  std::string kept{text};
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (drop[i]) {
      std::fill(kept.begin() + static_cast<std::ptrdiff_t>(tokens[i].begin),
                kept.begin() + static_cast<std::ptrdiff_t>(tokens[i].end), ' ');
    }
  }
  std::string out;
  for (const char c : kept) {
    if (!is_space(c)) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  // "Notes: tomorrow" → "Notes"; without a removal the line is left as the user wrote it.
  const std::string_view trim = dropped ? " ,;:" : " ";
  const auto first = out.find_first_not_of(trim);
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(trim) - first + 1);
}

}  // namespace

Result<QuickAddResult> parse_quick_add(std::string_view text, Instant now,
                                       std::string_view time_zone) {
  if (utf8_length(text) > k_max_quick_add_chars) {
    return field_error("quick", "must be at most 500 characters");
  }
  if (auto known = check_time_zone(time_zone); !known) return known.error();
  const date::time_zone& zone = *date::locate_zone(time_zone);
  const auto today = date::floor<date::days>(zone.to_local(now));

  const auto tokens = tokenize(text);
  std::vector<bool> recognised(tokens.size(), false);
  std::vector<bool> labels(tokens.size(), false);  // tags and priority: dropped even as a fallback
  QuickAddResult out;
  std::vector<std::string> tags;
  std::optional<date::local_days> day;
  std::optional<std::chrono::minutes> time;
  std::optional<quick_add_detail::Recurrence> rule;

  // Left to right, the first matcher that takes words at a position wins; a matcher only moves
  // the reader when it took a whole phrase, and a kind already found is not looked for again.
  std::size_t i = 0;
  while (i < tokens.size()) {
    Reader r{tokens, i};
    const std::string_view key = tokens[i].key;
    if (const auto tag = tag_from(key)) {
      tags.emplace_back(*tag);
      r.take();
    } else if (const auto priority = priority_from(key); priority && !out.priority) {
      out.priority = priority;
      r.take();
    }
    const bool label = r.pos != i;
    if (r.pos == i) {
      if (const auto minutes = match_reminder(r)) out.remind_before_minutes.push_back(*minutes);
    }
    if (r.pos == i && !rule) rule = quick_add_detail::match_recurrence(r);
    if (r.pos == i && !day) day = quick_add_detail::match_date(r, today);
    if (r.pos == i && !time) time = quick_add_detail::match_time(r);
    if (r.pos == i) {
      ++i;
      continue;
    }
    for (; i < r.pos; ++i) {
      recognised[i] = true;
      labels[i] = label;
    }
  }

  auto normal_tags = normalize_tags(tags);
  if (!normal_tags) return normal_tags.error();
  out.tags = std::move(*normal_tags);

  auto title = title_without(text, tokens, recognised);
  if (title.empty()) title = title_without(text, tokens, labels);
  if (title.empty()) return field_error("quick", "needs a title besides tags and priority");
  // A title that is all one quoted text loses the marks that only said "take this literally".
  if (title.size() >= 2 && title.front() == '"' && title.find('"', 1) == title.size() - 1) {
    title = title.substr(1, title.size() - 2);
  }
  auto normal_title = normalize_title(title);
  if (!normal_title) return normal_title.error();
  out.title = std::move(*normal_title);

  out.due_at = quick_add_detail::resolve_due(day, time, rule, now, zone);
  if (rule) {
    out.rrule = quick_add_detail::to_rrule(*rule);
    out.recurrence_mode = rule->from_completion ? "completion" : "schedule";
  }
  auto& reminders = out.remind_before_minutes;
  std::sort(reminders.begin(), reminders.end());
  reminders.erase(std::unique(reminders.begin(), reminders.end()), reminders.end());
  return out;
}

}  // namespace tickler::core
