#include "store/row_codec.hpp"

#include <charconv>

namespace tickler::store {
namespace {

// Calls fn on each word of space-separated text, skipping empty ones.
template <class Fn>
void for_each_word(std::string_view text, Fn fn) {
  while (!text.empty()) {
    const auto space = text.find(' ');
    if (space != 0) fn(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
}

}  // namespace

std::string select_columns(const char* columns, std::string_view rest) {
  std::string out = "SELECT ";
  out += columns;
  out += rest;
  return out;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}

std::string encode_reminders(const std::vector<core::ReminderSpec>& reminders) {
  std::string out;
  for (const auto& r : reminders) {
    if (!out.empty()) out += ' ';
    if (r.before_minutes) {
      out += 'b';
      out += std::to_string(*r.before_minutes);
    } else {
      out += 'a';
      out += std::to_string(core::to_millis(r.at.value_or(core::Instant{})));
    }
  }
  return out;
}

std::vector<core::ReminderSpec> decode_reminders(std::string_view text) {
  std::vector<core::ReminderSpec> out;
  for_each_word(text, [&](std::string_view item) {
    if (item.size() < 2) return;
    std::int64_t value = 0;
    // Only encode_reminders writes this column; an item without a number (edited by hand) is
    // skipped, as one without a value is.
    if (std::from_chars(item.data() + 1, item.data() + item.size(), value).ec != std::errc{}) {
      return;
    }
    core::ReminderSpec r;
    if (item[0] == 'b') {
      r.before_minutes = static_cast<int>(value);
    } else {
      r.at = core::from_millis(value);
    }
    out.push_back(r);
  });
  return out;
}

}  // namespace tickler::store
