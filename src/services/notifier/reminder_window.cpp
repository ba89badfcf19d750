#include "services/notifier/reminder_window.hpp"

#include <algorithm>

namespace tickler::services::notifier {
namespace {

constexpr std::chrono::milliseconds k_tick{1};  // instants are whole milliseconds

// The position after every reminder at `at` (ids are never empty).
store::ReminderPosition after_all(core::Instant at) {
  return {at + k_tick, ""};
}

}  // namespace

ReminderWindow::ReminderWindow(PagerSettings settings, core::Instant start)
    : settings_(settings), frontier_(after_all(start)) {
  settings_.page = std::max(settings_.page, 1);
  settings_.window = std::max(settings_.window, std::chrono::milliseconds{2});
}

std::chrono::milliseconds ReminderWindow::lead() const {
  return std::min(settings_.lead, settings_.window / 2);
}

bool ReminderWindow::covers(core::Instant at, std::string_view id) const {
  return at < frontier_.at || (at == frontier_.at && id <= frontier_.id);
}

std::optional<ReminderWindow::Page> ReminderWindow::next(core::Instant now) {
  while (!pages_.empty() && pages_.front().first <= now) {
    ahead_ -= pages_.front().second;
    pages_.pop_front();
  }
  if (!fill_until_) {
    if (frontier_.at > now + settings_.window / 2) return std::nullopt;
    fill_until_ = now + settings_.window;
  }
  if (ahead_ >= settings_.max_ahead && frontier_.at > now + lead()) return std::nullopt;
  return Page{frontier_, *fill_until_, settings_.page};
}

void ReminderWindow::loaded(const Page& page, const std::vector<store::ReminderRow>& rows,
                            core::Instant now) {
  if (static_cast<int>(rows.size()) >= page.limit && !rows.empty()) {
    frontier_ = {rows.back().remind_at, rows.back().id};  // more may follow: read on from it
  } else {
    frontier_ = after_all(page.until);
    fill_until_.reset();
  }
  const auto to_come = static_cast<std::size_t>(std::count_if(
      rows.begin(), rows.end(), [now](const store::ReminderRow& r) { return r.remind_at > now; }));
  if (to_come > 0) {
    pages_.emplace_back(rows.back().remind_at, to_come);
    ahead_ += to_come;
  }
}

core::Instant ReminderWindow::wake_at() const {
  if (!fill_until_) return frontier_.at - settings_.window / 2;
  // Paused: until loaded reminders come due, or the frontier nears.
  auto at = frontier_.at - lead();
  if (!pages_.empty()) at = std::min(at, pages_.front().first);
  return at;
}

}  // namespace tickler::services::notifier
