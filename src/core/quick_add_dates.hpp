#pragma once
// Internal to quick_add.cpp: the words of a quick-add line, and the date, time and recurrence
// phrases read from them (grammar in quick_add.hpp). Calendar and time-zone maths come from
// HowardHinnant date; nothing here is part of the public API.
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace tickler::core::quick_add_detail {

// One word of the line: [begin, end) in the original text, and `key`, the lower-cased ASCII text
// matched against (trailing '.' '?' ':' ';' dropped). Every ',' is a word of its own.
struct Token {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string key;
};

// A read position in the tokens; owns nothing. A matcher reads from a copy and assigns it back
// only when the whole phrase matched, so a failed match consumes nothing.
struct Reader {
  std::span<const Token> tokens;
  std::size_t pos = 0;

  // The key `ahead` words on, or "" past the end.
  [[nodiscard]] std::string_view peek(std::size_t ahead = 0) const {
    return pos + ahead < tokens.size() ? std::string_view{tokens[pos + ahead].key}
                                       : std::string_view{};
  }
  std::string_view take() {
    const auto key = peek();
    if (pos < tokens.size()) ++pos;
    return key;
  }
  // Takes the next word when it is `word`.
  bool accept(std::string_view word) {
    if (pos >= tokens.size() || peek() != word) return false;
    ++pos;
    return true;
  }
};

// A whole word of 1–4 ASCII digits whose value is at most `max`.
[[nodiscard]] std::optional<int> parse_number(std::string_view digits, int max);

// A repeat rule as far as quick add can say it; to_rrule writes it as RFC 5545 text.
struct Recurrence {
  enum class Freq { daily, weekly, monthly, yearly };
  Freq freq = Freq::daily;
  int interval = 1;
  std::vector<date::weekday> by_day;  // ascending from Monday
  std::optional<int> by_day_ordinal;  // monthly: 1…4 or -1 (last) for the one weekday in by_day
  std::optional<int> by_month_day;    // monthly: 1…31 or -1 (last day)
  bool from_completion = false;       // "every!": the next one counts from completion
};

[[nodiscard]] std::string to_rrule(const Recurrence& rule);

// The phrase at the reader, if any; on success the reader moves past it.
[[nodiscard]] std::optional<date::local_days> match_date(Reader& in, date::local_days today);
[[nodiscard]] std::optional<std::chrono::minutes> match_time(Reader& in);
[[nodiscard]] std::optional<Recurrence> match_recurrence(Reader& in);

// The due instant for what the line said (rules in quick_add.hpp), or none.
[[nodiscard]] std::optional<Instant> resolve_due(std::optional<date::local_days> day,
                                                 std::optional<std::chrono::minutes> time,
                                                 const std::optional<Recurrence>& rule, Instant now,
                                                 const date::time_zone& zone);

}  // namespace tickler::core::quick_add_detail
