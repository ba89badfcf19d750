#pragma once
// Which scheduled reminders the process's scheduler holds, as one position in the order they
// come due (store::ReminderPosition: remind_at, then id): every scheduled reminder at or before
// the frontier has been handed to the scheduler (those due when the notifier started are the
// start-up sweep's), none after it has — the store holds them until the frontier passes them.
// The frontier runs ahead of the clock by up to `window`: when it is less than half a window
// ahead, a fill loads the next pages (keyset on the position) up to a window from now. Loading
// pauses while `max_ahead` loaded reminders are still to come, unless the frontier is within
// `lead` of the clock, so a burst of reminders in the window does not all sit in memory at
// once and none is loaded late. Pure logic: ReminderPager reads the pages and holds the lock.
#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string_view>
#include <vector>

#include "store/notifier.hpp"

namespace tickler::services::notifier {

struct PagerSettings {
  std::chrono::milliseconds window{std::chrono::minutes{10}};  // how far ahead reminders load
  int page = 1000;                                             // rows per read
  std::size_t max_ahead = 100'000;  // loaded reminders still to come before loading pauses
  std::chrono::milliseconds lead{std::chrono::seconds{10}};  // loads regardless this close
};

class ReminderWindow {
 public:
  // The read a fill asks for: scheduled reminders after `after`, due by `until`, at most `limit`.
  struct Page {
    store::ReminderPosition after;
    core::Instant until{};
    int limit = 0;
  };

  // At start every reminder due by `start` is covered (the start-up sweep fires those).
  ReminderWindow(PagerSettings settings, core::Instant start);

  // Whether a reminder at this place belongs in the scheduler now (at or before the frontier).
  [[nodiscard]] bool covers(core::Instant at, std::string_view id) const;
  // The next page to read at `now`, if any is to be read now.
  [[nodiscard]] std::optional<Page> next(core::Instant now);
  // The rows read for `page` were handed to the scheduler: the frontier moves past them.
  void loaded(const Page& page, const std::vector<store::ReminderRow>& rows, core::Instant now);
  // When next() may have a page again (if nothing changes meanwhile).
  [[nodiscard]] core::Instant wake_at() const;

  [[nodiscard]] const store::ReminderPosition& frontier() const { return frontier_; }
  // Loaded reminders (by page) not due yet, as of the last next().
  [[nodiscard]] std::size_t ahead() const { return ahead_; }

 private:
  [[nodiscard]] std::chrono::milliseconds lead() const;

  PagerSettings settings_;
  store::ReminderPosition frontier_;
  std::optional<core::Instant> fill_until_;  // a fill under way loads up to here
  // Per page loaded: its last remind_at and how many of its rows were still to come.
  std::deque<std::pair<core::Instant, std::size_t>> pages_;
  std::size_t ahead_ = 0;
};

}  // namespace tickler::services::notifier
