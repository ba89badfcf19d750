// NotifierService: what the user's controls make of a fired reminder (channels by priority, the
// task's override, quiet hours), and the daily digest's rows (fired, scheduled, read).
#include <algorithm>

#include "services/notifier/notifier_service.hpp"
#include "services/notifier/preferences.hpp"

namespace tickler::services::notifier {

core::Result<ReminderControls> NotifierService::reminder_controls(
    store::NotifierReader& r, const store::ReminderRow& reminder, core::Instant now) {
  auto settings = r.notification_settings(reminder.user_id);
  if (!settings) return settings.error();
  auto override_doc = r.notification_override(reminder.user_id, reminder.task_id);
  if (!override_doc) return override_doc.error();
  ReminderControls out;
  out.now = now;
  out.prefs = *settings ? stored_prefs((*settings)->body) : core::NotificationPrefs::defaults();
  if (*override_doc) out.override_ = stored_override((*override_doc)->body);
  out.priority = core::parse_priority(reminder.priority).value_or(core::Priority::none);
  out.held_until = core::held_until(out.prefs, out.override_, out.priority, now);
  return out;
}

core::Result<std::optional<store::ReminderRow>> NotifierService::fire_digest(
    store::NotifierWriter& w, const store::ReminderRow& r, core::Instant now, bool& deliveries) {
  auto doc = w.notification_settings(r.user_id);
  if (!doc) return doc.error();
  const auto prefs = *doc ? stored_prefs((*doc)->body) : core::NotificationPrefs::defaults();
  if (!prefs.digest || !digest_source_) return std::optional<store::ReminderRow>{};
  const auto& kinds = prefs.digest->kinds;
  for (const auto& channel : channels_) {
    if (std::find(kinds.begin(), kinds.end(), channel->kind()) == kinds.end()) continue;
    auto records = channel->records(w, r);
    if (!records) return records.error();
    for (const auto& name : *records) {
      if (auto d = w.upsert_delivery({r.id, name, "pending", 0, {}, now, {}, r.user_id, now}); !d) {
        return d.error();
      }
      deliveries = true;
    }
  }
  return schedule_digest(w, r.user_id, prefs, prefs.time_zone, std::max(now, r.remind_at));
}

core::Result<std::optional<store::ReminderRow>> NotifierService::schedule_digest(
    store::NotifierWriter& w, core::UserId user, const core::NotificationPrefs& prefs,
    const std::string& old_zone, core::Instant now) {
  for (const auto& zone : {old_zone, prefs.time_zone}) {
    for (const auto& id : digest_ids_around(user, zone, now)) {
      if (auto c = w.cancel_reminder(id); !c) return c.error();
    }
  }
  if (!prefs.digest || !digest_source_) return std::optional<store::ReminderRow>{};
  auto next = next_digest(user, prefs, now);
  // That day's digest went out already (the time moved later the same day): the next day's.
  for (int day = 0; day < 2; ++day) {
    auto existing = w.reminder(next.id);
    if (!existing) return existing.error();
    if (!*existing || (*existing)->state != "fired") break;
    next = next_digest(user, prefs, next.remind_at);
  }
  if (auto u = w.upsert_reminder(next); !u) return u.error();
  return std::optional<store::ReminderRow>{std::move(next)};
}

core::Result<DigestContent> NotifierService::load_digest(const store::ReminderRow& row) const {
  if (!digest_source_) {
    return core::make_error(core::Errc::unavailable, "digests are not available here");
  }
  const auto day_end = core::local_day_bounds(row.remind_at, row.time_zone).second;
  auto items = digest_source_(row.user_id, day_end);
  if (!items) return items.error();
  DigestContent out{row.user_id, core::local_date(row.remind_at, row.time_zone), row.time_zone,
                    std::move(*items)};
  // Overdue: due before the digest's time (earlier today included).
  for (auto& item : out.items) item.overdue = item.due_at < row.remind_at;
  std::stable_sort(out.items.begin(), out.items.end(),
                   [](const DigestItem& a, const DigestItem& b) { return a.overdue > b.overdue; });
  return out;
}

}  // namespace tickler::services::notifier
