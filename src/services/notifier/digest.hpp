#pragma once
// The daily digest: at the user's local time (preferences' digest.time, in their zone), the
// tasks overdue and due that local day, once a day per channel in digest.channels.
//
// A digest is scheduled and fired like a reminder: a row of the reminders table with the id
// digest:<user>:<YYYY-MM-DD> (the local date; task 0), held by the Scheduler, fired once by the
// conditional update, its deliveries keyed digest:<user>:<date> × channel with the retries and
// dead letters of any delivery. Firing one schedules the next local day's (DST-correct:
// core::next_local_minute). Its content is a channel-neutral DigestContent, read when an attempt
// is sent (the tasks live in the api's tables: a DigestSource reads them, in-process in tickler
// serve, over the api's POST /internal/digest in the distributed mode: digest_client.hpp), and
// rendered by one function per channel (email: digest_mail in email_content.hpp).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest_item.hpp"
#include "core/notification_prefs.hpp"
#include "core/result.hpp"
#include "store/notifier.hpp"

namespace tickler::services::notifier {

using DigestItem = core::DigestItem;

struct DigestContent {
  core::UserId user_id = 0;
  std::string date;  // the local day, YYYY-MM-DD
  std::string time_zone;
  std::vector<DigestItem> items;  // overdue first, then today's, each by due time
};

// The user's pending tasks due before `day_end` (overdue or due that day), by due time.
using DigestSource =
    std::function<core::Result<std::vector<DigestItem>>(core::UserId user, core::Instant day_end)>;

[[nodiscard]] bool is_digest(std::string_view reminder_id);
[[nodiscard]] std::string digest_id(core::UserId user, std::string_view local_date);
// The user's next digest after `after` as a reminder row, per the preferences (which have one).
[[nodiscard]] store::ReminderRow next_digest(core::UserId user,
                                             const core::NotificationPrefs& prefs,
                                             core::Instant after);
// The ids a user's scheduled digest may have around `now` (yesterday to tomorrow in the zone):
// cancelled before the digest is set again.
[[nodiscard]] std::vector<std::string> digest_ids_around(core::UserId user,
                                                         std::string_view time_zone,
                                                         core::Instant now);

}  // namespace tickler::services::notifier
