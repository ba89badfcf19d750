#include "services/notifier/digest.hpp"

namespace tickler::services::notifier {

bool is_digest(std::string_view reminder_id) {
  return reminder_id.starts_with("digest:");
}

std::string digest_id(core::UserId user, std::string_view local_date) {
  return "digest:" + std::to_string(user) + ":" + std::string{local_date};
}

store::ReminderRow next_digest(core::UserId user, const core::NotificationPrefs& prefs,
                               core::Instant after) {
  const auto at = core::next_local_minute(after, prefs.time_zone, prefs.digest->minute);
  store::ReminderRow r;
  r.id = digest_id(user, core::local_date(at, prefs.time_zone));
  r.task_id = 0;
  r.user_id = user;
  r.title = "Daily digest";
  r.remind_at = at;
  r.time_zone = prefs.time_zone;
  return r;
}

std::vector<std::string> digest_ids_around(core::UserId user, std::string_view time_zone,
                                           core::Instant now) {
  std::vector<std::string> out;
  for (int day = -1; day <= 1; ++day) {
    out.push_back(digest_id(user, core::local_date(now + std::chrono::hours{24 * day}, time_zone)));
  }
  return out;
}

}  // namespace tickler::services::notifier
