#include "services/notifier/notifier_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <tuple>
#include <variant>

#include "auth/digest.hpp"
#include "base/log.hpp"
#include "http/client.hpp"
#include "outbox/envelope.hpp"
#include "wire/messages.hpp"

namespace tickler::services::notifier {
namespace {

// The notifications-topic event of a fired reminder.
wire::ReminderFired fired_event(const store::NotificationRow& n) {
  return {n.id, n.reminder_id, n.user_id, n.task_id, n.title, n.remind_at, n.fired_at};
}

// A reminders-topic event read: the reminder and whether it is scheduled (else cancelled), or
// the user deleted.
using ReminderChange = std::pair<store::ReminderRow, bool>;
using ReminderEvent = std::variant<ReminderChange, core::UserId>;

ReminderEvent to_change(const wire::ReminderScheduled& e) {
  store::ReminderRow r;
  r.id = e.reminder_id;
  r.task_id = e.task_id;
  r.user_id = e.user_id;
  r.title = e.title;
  r.due_at = e.due_at;
  r.remind_at = e.remind_at;
  r.time_zone = e.time_zone;
  return ReminderChange{std::move(r), true};
}

ReminderEvent to_change(const wire::ReminderCancelled& e) {
  store::ReminderRow r;
  r.id = e.reminder_id;
  r.task_id = e.task_id;
  r.user_id = e.user_id;
  r.remind_at = e.remind_at;
  return ReminderChange{std::move(r), false};
}

ReminderEvent to_change(const wire::UserDeleted& e) {
  return e.user_id;
}

}  // namespace

core::Status NotifierService::start() {
  dispatcher_.emplace(settings_.delivery, [this] { wake_background(); });
  thread_ = std::jthread{[this](std::stop_token stop) { background(stop); }};
  return {};
}

void NotifierService::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  cv_.notify_all();
  thread_.join();
  dispatcher_.reset();  // lets deliveries in flight finish (each within webhook_timeout)
}

bus::Verdict NotifierService::on_reminder_event(const bus::Event& event) {
  return on_reminder_events({event}).front();
}

std::vector<bus::Verdict> NotifierService::on_reminder_events(
    const std::vector<bus::Event>& events) {
  std::vector<bus::Verdict> verdicts(events.size());
  std::vector<std::tuple<std::string, store::ReminderRow, bool>>
      changes;  // event id, row, schedule
  // A deleted user's reminders, deliveries, notifications and webhook go. Applied after the
  // batch's reminder changes: the user's earlier events come before the deletion (per-user
  // order), and none comes after it.
  std::vector<std::pair<std::string, core::UserId>> deletions;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto message = wire::read_reminders(events[i].type, events[i].data);
    if (!message) {
      verdicts[i] = bus::Verdict::drop(message.error().message);
      continue;
    }
    auto read = std::visit([](const auto& m) { return to_change(m); }, *message);
    if (auto* user = std::get_if<core::UserId>(&read)) {
      deletions.emplace_back(events[i].id, *user);
    } else {
      auto& [row, schedule] = std::get<ReminderChange>(read);
      changes.emplace_back(events[i].id, std::move(row), schedule);
    }
  }
  std::vector<bool> applied(changes.size(), false);
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    const auto now = core::now();
    for (std::size_t k = 0; k < changes.size(); ++k) {
      const auto& [event_id, r, schedule] = changes[k];
      auto fresh = w.mark_processed(k_consumer, event_id, now);
      if (!fresh) return fresh.error();
      applied[k] = *fresh;
      if (!*fresh) continue;
      if (schedule) {
        if (auto u = w.upsert_reminder(r); !u) return u;
      } else if (auto c = w.cancel_reminder(r.id); !c) {
        return c.error();
      }
    }
    for (const auto& [event_id, user] : deletions) {
      auto fresh = w.mark_processed(k_consumer, event_id, now);
      if (!fresh) return fresh.error();
      if (!*fresh) continue;
      if (auto d = w.delete_user_notifier_data(user); !d) return d;
    }
    return {};
  });
  if (!st) return bus::retry_from_first_kept(std::move(verdicts), st.error().message);
  for (std::size_t k = 0; k < changes.size(); ++k) {
    const auto& [event_id, r, schedule] = changes[k];
    if (!applied[k]) continue;
    if (schedule) {
      scheduler_->schedule(r.id, r.remind_at);
    } else {
      scheduler_->cancel(r.id);
    }
  }
  return verdicts;
}

core::Result<int> NotifierService::fire_due(const std::vector<std::string>& ids) {
  return fire_at(ids, core::now());
}

core::Result<int> NotifierService::fire_at(const std::vector<std::string>& ids, core::Instant now) {
  int fired = 0;
  bool webhooks = false;
  std::vector<core::Instant> due_times;  // remind_at of each reminder fired
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    fired = 0;
    due_times.clear();
    for (const auto& id : ids) {
      auto reminder = w.fire_reminder(id, now);
      if (!reminder) return reminder.error();
      if (!*reminder) continue;  // cancelled, fired already, or (moved) not due yet
      const auto& r = **reminder;
      store::NotificationRow n{0, r.user_id, r.task_id, r.id, r.title, r.remind_at, now, {}};
      auto nid = w.insert_notification(n);
      if (!nid) return nid.error();
      n.id = *nid;
      store::Delivery in_app{r.id, "in_app", "delivered", 1, {}, {}, now};
      if (auto d = w.upsert_delivery(in_app); !d) return d;
      auto hook = w.webhook(r.user_id);
      if (!hook) return hook.error();
      if (*hook) {
        if (auto d =
                w.upsert_delivery({r.id, "webhook", "pending", 0, {}, now, {}, r.user_id, now});
            !d) {
          return d;
        }
        webhooks = true;
      }
      for (const auto& event : outbox::outbox_rows(fired_event(n), now)) {
        if (auto e = w.append_outbox(event); !e) return e.error();
      }
      due_times.push_back(r.remind_at);
      ++fired;
    }
    return {};
  });
  if (!st) return st.error();
  for (auto at : due_times) lateness_.observe(std::chrono::duration<double>(now - at).count());
  if (fired > 0 && on_events_) on_events_();
  if (webhooks) wake_background();
  // A reminder moved later since it was queued is still scheduled: queue it at its new time.
  if (fired < static_cast<int>(ids.size())) {
    for (const auto& id : ids) {
      auto r = store_.read_value([&](store::NotifierReader& rd) { return rd.reminder(id); });
      if (r && *r && (*r)->state == "scheduled") scheduler_->schedule(id, (*r)->remind_at);
    }
  }
  return fired;
}

void NotifierService::write_metrics(std::string& out) const {
  lateness_.render("tickler_reminder_fire_lateness_seconds",
                   "Time from a reminder's remind_at to its firing (never negative: never early).",
                   out);
}

core::Result<int> NotifierService::sweep() {
  int total = 0;
  for (;;) {
    const auto now = core::now();
    auto due = store_.read_value(
        [&](store::NotifierReader& r) { return r.due_reminders(now, settings_.batch); });
    if (!due) return due.error();
    if (due->empty()) return total;
    std::vector<std::string> ids;
    for (const auto& r : *due) ids.push_back(r.id);
    auto fired = fire_at(ids, now);
    if (!fired) return fired.error();
    total += *fired;
    if (static_cast<int>(due->size()) < settings_.batch) return total;
  }
}

core::Status NotifierService::deliver_one(store::Delivery delivery,
                                          const std::optional<store::ReminderRow>& reminder,
                                          const std::optional<store::Webhook>& hook) {
  const auto now = core::now();
  store::Delivery& next = delivery;
  next.attempts += 1;
  if (!reminder || !hook) {
    next.state = "failed";
    next.last_error = "the reminder or the user's webhook is gone";
  } else {
    // A delivery is per reminder: its body has no notification id.
    const wire::ReminderFired fired{0,
                                    reminder->id,
                                    reminder->user_id,
                                    reminder->task_id,
                                    reminder->title,
                                    reminder->remind_at,
                                    reminder->fired_at.value_or(now)};
    const auto payload = boost::json::serialize(fired.to_webhook_json());
    auto res = http::post(
        hook->url, payload,
        {{"X-Tickler-Signature", "sha256=" + auth::hmac_sha256_hex(hook->secret, payload)},
         {"X-Tickler-Event", "reminder.fired"},
         {"X-Tickler-Delivery", reminder->id}},
        settings_.webhook_timeout, policy_);
    if (res && res->status >= 200 && res->status < 300) {
      next.state = "delivered";
      next.delivered_at = core::now();
      next.last_error.reset();
    } else {
      next.last_error = res ? "HTTP " + std::to_string(res->status) : res.error().message;
      if (next.attempts >= settings_.webhook_max_attempts) {
        next.state = "failed";
      } else {
        const auto backoff =
            std::min<std::chrono::seconds>(std::chrono::seconds{1LL << std::min(next.attempts, 20)},
                                           settings_.webhook_max_backoff);
        next.next_attempt = core::now() + backoff;
      }
    }
  }
  return store_.write([&](store::NotifierWriter& w) { return w.upsert_delivery(next); });
}

core::Result<int> NotifierService::deliver_webhooks() {
  if (!dispatcher_) return 0;
  struct Candidate {
    store::Delivery delivery;
    std::optional<store::ReminderRow> reminder;
    std::optional<store::Webhook> hook;
  };
  const auto now = core::now();
  // Users running before the read: a job that finishes during it may have recorded its outcome
  // after the read saw its delivery still pending, and must not be started again from that row.
  // Only this loop starts jobs, so no other user can be running with an outcome the read missed.
  const auto busy = dispatcher_->running_users();
  auto candidates =
      store_.read_value([&](store::NotifierReader& r) -> core::Result<std::vector<Candidate>> {
        auto heads = r.pending_deliveries(now, 500);
        if (!heads) return heads.error();
        std::vector<Candidate> out;
        for (auto& d : *heads) {
          if (d.channel != "webhook" || busy.contains(d.user_id)) continue;
          auto reminder = r.reminder(d.reminder_id);
          if (!reminder) return reminder.error();
          std::optional<store::Webhook> hook;
          if (*reminder) {
            auto h = r.webhook((*reminder)->user_id);
            if (!h) return h.error();
            hook = std::move(*h);
          }
          out.push_back({std::move(d), std::move(*reminder), std::move(hook)});
        }
        return out;
      });
  if (!candidates) return candidates.error();
  int started = 0;
  for (auto& c : *candidates) {
    std::string host;
    if (c.hook) {
      auto target = http::parse_url_target(c.hook->url);
      host = target ? target->host : c.hook->url;
      std::transform(host.begin(), host.end(), host.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    }
    const auto user = c.delivery.user_id;
    const bool ok = dispatcher_->try_start(user, host, [this, c = std::move(c)] {
      if (auto st = deliver_one(c.delivery, c.reminder, c.hook); !st) {
        base::log_json(spdlog::level::warn, "recording a webhook delivery failed",
                       {{"reminder_id", c.delivery.reminder_id}, {"error", st.error().message}});
      }
    });
    if (ok) ++started;
  }
  return started;
}

void NotifierService::wake_background() {
  {
    std::lock_guard lock{mutex_};
    work_ = true;
  }
  cv_.notify_one();
}

void NotifierService::background(std::stop_token stop) {
  auto next_sweep = std::chrono::steady_clock::now();  // the first one at once
  while (!stop.stop_requested()) {
    if (std::chrono::steady_clock::now() >= next_sweep) {
      if (auto n = sweep(); !n) {
        base::log_json(spdlog::level::warn, "reminder sweep failed",
                       {{"error", n.error().message}});
      }
      next_sweep = std::chrono::steady_clock::now() + settings_.sweep_interval;
    }
    if (auto n = deliver_webhooks(); !n) {
      base::log_json(spdlog::level::warn, "webhook delivery failed",
                     {{"error", n.error().message}});
    }
    std::unique_lock lock{mutex_};
    // Retries come due on their own: look at least every second while any may be pending.
    cv_.wait_for(lock, stop, std::chrono::seconds{1}, [this] { return work_; });
    work_ = false;
  }
}

}  // namespace tickler::services::notifier
