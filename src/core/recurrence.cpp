#include "core/recurrence.hpp"

#include <date/date.h>
#include <libical/ical.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <utility>
#include <variant>

namespace tickler::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using LocalMs = date::local_time<milliseconds>;

Error rule_error(std::string problem) {
  return field_error("recurrence", std::move(problem));
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto upper = [](char c) {
             return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
           };
           return upper(x) == upper(y);
         });
}

std::string_view without_prefix(std::string_view text) {
  constexpr std::string_view k_prefix = "RRULE:";
  if (text.size() >= k_prefix.size() && iequals(text.substr(0, k_prefix.size()), k_prefix)) {
    text.remove_prefix(k_prefix.size());
  }
  return text;
}

// libical reads INTERVAL and COUNT with atoi, INTERVAL into a short ("INTERVAL=70000" becomes
// 4464, "2x" becomes 2), so these two parts are checked on the text first.
Status check_integer_parts(std::string_view text) {
  while (!text.empty()) {
    const auto end = std::min(text.find(';'), text.size());
    const auto clause = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    const auto eq = clause.find('=');
    if (eq == std::string_view::npos) continue;
    const auto name = clause.substr(0, eq);
    const auto value = clause.substr(eq + 1);
    const bool is_interval = iequals(name, "INTERVAL");
    if (!is_interval && !iequals(name, "COUNT")) continue;
    const int max = is_interval ? k_max_rrule_interval : k_max_rrule_count;
    int parsed = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc{} || ptr != value.data() + value.size() || parsed < 1 || parsed > max) {
      return rule_error(std::string{is_interval ? "INTERVAL" : "COUNT"} + " must be an integer 1–" +
                        std::to_string(max));
    }
  }
  return {};
}

icaltimetype to_ical(date::local_seconds t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> tod{t - day};
  icaltimetype out = icaltime_null_time();  // floating: no zone, so libical does no zone maths
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.hour = static_cast<int>(tod.hours().count());
  out.minute = static_cast<int>(tod.minutes().count());
  out.second = static_cast<int>(tod.seconds().count());
  return out;
}

std::optional<date::local_days> ical_day(const icaltimetype& t) {
  const date::year_month_day ymd{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                                 date::day{static_cast<unsigned>(t.day)}};
  if (!ymd.ok()) return std::nullopt;
  return date::local_days{ymd};
}

date::local_seconds ical_time_of_day(date::local_days day, const icaltimetype& t) {
  return day + std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} + seconds{t.second};
}

// UNTIL as the rule wrote it: a UTC instant ("…Z"), a floating local time, or a local date.
using Until =
    std::variant<std::monostate, date::sys_seconds, date::local_seconds, date::local_days>;

Result<Until> until_of(const icaltimetype& t) {
  if (icaltime_is_null_time(t)) return Until{};
  const auto day = ical_day(t);
  const bool time_ok = t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60 &&
                       t.second >= 0 && t.second < 61;
  if (!day || !time_ok) return rule_error("UNTIL is not a valid date or date-time");
  if (t.is_date) return Until{*day};
  const auto wall = ical_time_of_day(*day, t);
  if (icaltime_is_utc(t)) return Until{date::sys_seconds{wall.time_since_epoch()}};
  return Until{wall};
}

struct IcalBufferFree {
  void operator()(char* p) const { icalmemory_free_buffer(p); }
};
struct IteratorFree {
  void operator()(icalrecur_iterator* it) const { icalrecur_iterator_free(it); }
};
using IteratorPtr = std::unique_ptr<icalrecur_iterator, IteratorFree>;

// A parsed RRULE. libical gets it without COUNT and UNTIL, which are applied here: libical would
// compare a UTC UNTIL with floating times as if they were UTC, and count COUNT from any DTSTART.
struct Rule {
  icalrecurrencetype ical{};
  std::unique_ptr<char, IcalBufferFree> rscale;  // owns ical.rscale: libical never frees it
  int count = 0;                                 // 0: no COUNT
  Until until;
};

IteratorPtr make_iterator(const Rule& rule, date::local_seconds dtstart) {
  icalerror_clear_errno();
  return IteratorPtr{icalrecur_iterator_new(rule.ical, to_ical(dtstart))};
}

Result<Rule> parse_rule(std::string_view text) {
  if (text.size() > k_max_rrule_chars) return rule_error("must be at most 500 characters");
  text = without_prefix(text);
  if (text.empty()) return rule_error("must not be empty");
  const bool has_control = std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
  if (has_control) return rule_error("must not contain control characters");
  if (auto integers = check_integer_parts(text); !integers) return integers.error();

  const std::string owned{text};
  icalerror_clear_errno();
  Rule rule;
  rule.ical = icalrecurrencetype_from_string(owned.c_str());
  rule.rscale.reset(rule.ical.rscale);
  if (icalerrno != ICAL_NO_ERROR) return rule_error("is not a valid RFC 5545 RRULE");
  if (rule.ical.freq == ICAL_NO_RECURRENCE) return rule_error("needs FREQ");
  if (rule.ical.freq < ICAL_DAILY_RECURRENCE) {
    return rule_error("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY");
  }
  auto until = until_of(rule.ical.until);
  if (!until) return until.error();
  rule.until = *until;
  rule.count = rule.ical.count;
  rule.ical.count = 0;
  rule.ical.until = icaltime_null_time();
  // libical refuses some part combinations only when an iterator is made; any DTSTART shows them.
  if (!make_iterator(rule, date::local_days{date::year{2000} / 1 / 1})) {
    return rule_error("combines rule parts that cannot yield an occurrence");
  }
  return rule;
}

Result<const date::time_zone*> find_zone(std::string_view name) {
  if (!is_known_time_zone(name)) return field_error("time_zone", "is not a known IANA time zone");
  return date::locate_zone(name);
}

// Walks the set of a series in order, each occurrence in UTC with its index: DTSTART first when
// given its due (RFC 5545 counts it even if the rule would not produce it), then every rule
// occurrence after DTSTART, until COUNT, UNTIL or libical's last year ends the series.
class SeriesWalker {
 public:
  // dtstart: occurrences are those after it; sub_second: the part of a second every occurrence
  // has (that of the series' DTSTART).
  SeriesWalker(const Rule& rule, const date::time_zone& zone, IteratorPtr iterator, LocalMs dtstart,
               milliseconds sub_second, int first_index, std::optional<Instant> start_due)
      : rule_{&rule},
        zone_{&zone},
        iterator_{std::move(iterator)},
        dtstart_{dtstart},
        sub_second_{sub_second},
        index_{first_index},
        start_due_{start_due} {}

  std::optional<Occurrence> next() {
    if (start_due_) {
      const Occurrence first{*start_due_, index_++};
      start_due_.reset();
      return first;
    }
    if (rule_->count > 0 && index_ >= rule_->count) return std::nullopt;
    const auto local = next_local();
    if (!local) return std::nullopt;
    const Instant due = local_to_utc(*local, *zone_);
    if (after_until(*local, due)) return std::nullopt;
    return Occurrence{due, index_++};
  }

 private:
  std::optional<LocalMs> next_local() {
    for (;;) {
      const icaltimetype t = icalrecur_iterator_next(iterator_.get());
      if (icaltime_is_null_time(t)) return std::nullopt;
      const auto day = ical_day(t);
      if (!day) return std::nullopt;
      const LocalMs local = ical_time_of_day(*day, t) + sub_second_;
      // libical yields DTSTART itself first when the rule matches it; that one is handled apart.
      if (local > dtstart_) return local;
    }
  }

  // UNTIL has second precision (RFC 5545), so the sub-second part of a due does not count.
  [[nodiscard]] bool after_until(LocalMs local, Instant due) const {
    if (const auto* utc = std::get_if<date::sys_seconds>(&rule_->until)) {
      return date::floor<seconds>(due) > *utc;
    }
    if (const auto* wall = std::get_if<date::local_seconds>(&rule_->until)) {
      return date::floor<seconds>(local) > *wall;
    }
    if (const auto* day = std::get_if<date::local_days>(&rule_->until)) {
      return date::floor<date::days>(local) > *day;
    }
    return false;
  }

  const Rule* rule_;
  const date::time_zone* zone_;
  IteratorPtr iterator_;
  LocalMs dtstart_;
  milliseconds sub_second_;
  int index_;
  std::optional<Instant> start_due_;
};

Error year_error() {
  return rule_error("cannot start a series in that year (libical stops at 2582)");
}

Result<SeriesWalker> walk(const Rule& rule, const date::time_zone& zone, LocalMs dtstart,
                          int first_index, std::optional<Instant> start_due) {
  auto iterator = make_iterator(rule, date::floor<seconds>(dtstart));
  if (!iterator) return year_error();
  return SeriesWalker{
      rule,        zone,     std::move(iterator), dtstart, dtstart - date::floor<seconds>(dtstart),
      first_index, start_due};
}

// The occurrences of the series that starts at dtstart which come after `from`, without walking
// the ones before it: libical keeps the rule's phase (INTERVAL, BYSETPOS…) from DTSTART. (libical
// refuses this for a rule with COUNT; parse_rule keeps COUNT out of libical's rule, and the
// walker applies it from first_index.)
Result<SeriesWalker> walk_from(const Rule& rule, const date::time_zone& zone, LocalMs dtstart,
                               LocalMs from, int first_index) {
  auto iterator = make_iterator(rule, date::floor<seconds>(dtstart));
  if (!iterator) return year_error();
  if (icalrecur_iterator_set_start(iterator.get(), to_ical(date::floor<seconds>(from))) != 1) {
    return year_error();
  }
  return SeriesWalker{
      rule,        zone,        std::move(iterator), from, dtstart - date::floor<seconds>(dtstart),
      first_index, std::nullopt};
}

Error budget_error() {
  return rule_error("repeats too often: more than " + std::to_string(k_max_recurrence_steps) +
                    " occurrences before the next one is due");
}

}  // namespace

std::optional<RecurrenceMode> parse_recurrence_mode(std::string_view text) {
  if (text == "schedule") return RecurrenceMode::schedule;
  if (text == "completion") return RecurrenceMode::completion;
  return std::nullopt;
}

std::string_view to_string(RecurrenceMode mode) {
  switch (mode) {
    case RecurrenceMode::schedule:
      return "schedule";
    case RecurrenceMode::completion:
      return "completion";
  }
  return "schedule";
}

Status validate_rrule(std::string_view rrule) {
  auto rule = parse_rule(rrule);
  if (!rule) return rule.error();
  return {};
}

Instant local_to_utc(const date::local_time<milliseconds>& local, const date::time_zone& zone) {
  // first is the offset before a gap (nonexistent) and the earlier one of a repeat (ambiguous).
  const date::local_info info = zone.get_info(local);
  return Instant{(local - info.first.offset).time_since_epoch()};
}

Result<std::optional<Occurrence>> next_occurrence(const Recurrence& recurrence,
                                                  std::string_view time_zone,
                                                  const SeriesPosition& at, Instant completed_at,
                                                  Instant now) {
  auto zone = find_zone(time_zone);
  if (!zone) return zone.error();
  auto rule = parse_rule(recurrence.rrule);
  if (!rule) return rule.error();
  const date::time_zone& tz = **zone;

  if (recurrence.mode == RecurrenceMode::completion) {
    const LocalMs due = tz.to_local(at.current_due);
    const auto completion_day = date::floor<date::days>(tz.to_local(completed_at));
    const LocalMs anchor = completion_day + (due - date::floor<date::days>(due));
    auto walker = walk(*rule, tz, anchor, at.index + 1, std::nullopt);
    if (!walker) return walker.error();
    return walker->next();
  }

  const LocalMs series_start = tz.to_local(at.series_start);
  // The walk starts at the current occurrence (its index is at.index), so its cost is the
  // occurrences since then, not since the series began.
  const bool resume = at.current_due > at.series_start;
  auto walker = resume
                    ? walk_from(*rule, tz, series_start, tz.to_local(at.current_due), at.index + 1)
                    : walk(*rule, tz, series_start, 0, at.series_start);
  if (!walker) return walker.error();
  for (int step = 0; step < k_max_recurrence_steps; ++step) {
    auto occurrence = walker->next();
    if (!occurrence || (occurrence->due > at.current_due && occurrence->due > now)) {
      return occurrence;
    }
  }
  // Overdue by more occurrences than the budget: the series goes on after `now`, and the skipped
  // occurrences are not counted (the index only needs to grow; COUNT then counts from there).
  const auto after = std::max(at.current_due, now);
  auto skip = walk_from(*rule, tz, series_start, tz.to_local(after), at.index + 1);
  if (!skip) return skip.error();
  for (int step = 0; step < k_max_recurrence_steps; ++step) {
    auto occurrence = skip->next();
    if (!occurrence || occurrence->due > after) return occurrence;
  }
  return budget_error();
}

Status check_recurrence_cost(const Recurrence& recurrence, std::string_view time_zone, Instant due,
                             Instant now) {
  const Instant from = std::max(due, now);
  const Instant horizon = from + k_recurrence_check_horizon;
  auto zone = find_zone(time_zone);
  if (!zone) return zone.error();
  auto rule = parse_rule(recurrence.rrule);
  if (!rule) return rule.error();
  const auto& tz = **zone;
  // As next_occurrence walks: from where the series is now.
  auto walker = from > due ? walk_from(*rule, tz, tz.to_local(due), tz.to_local(from), 0)
                           : walk(*rule, tz, tz.to_local(due), 0, due);
  if (!walker) return walker.error();
  // One more than the budget: exactly k_max_recurrence_steps occurrences in the window pass.
  for (int step = 0; step <= k_max_recurrence_steps; ++step) {
    auto occurrence = walker->next();
    if (!occurrence || occurrence->due > horizon) return {};
  }
  return rule_error("repeats too often: more than " + std::to_string(k_max_recurrence_steps) +
                    " occurrences within 30 days; choose a rule with fewer occurrences");
}

Result<std::vector<Instant>> first_occurrences(std::string_view rrule, std::string_view time_zone,
                                               Instant series_start, int n) {
  if (n < 0 || n > k_max_preview_occurrences) {
    return field_error("count", "must be 0–" + std::to_string(k_max_preview_occurrences));
  }
  auto zone = find_zone(time_zone);
  if (!zone) return zone.error();
  auto rule = parse_rule(rrule);
  if (!rule) return rule.error();
  auto walker = walk(*rule, **zone, (*zone)->to_local(series_start), 0, series_start);
  if (!walker) return walker.error();
  std::vector<Instant> out;
  out.reserve(static_cast<std::size_t>(n));
  while (std::ssize(out) < n) {
    const auto occurrence = walker->next();
    if (!occurrence) break;
    out.push_back(occurrence->due);
  }
  return out;
}

}  // namespace tickler::core
