#include "services/notifier/notifier_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <tuple>
#include <variant>

#include "base/log.hpp"
#include "outbox/envelope.hpp"
#include "services/notifier/webhook_channel.hpp"
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
  r.priority = std::string{core::to_string(e.priority)};
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

NotifierService::NotifierService(NotifierSettings settings, store::Store& store,
                                 base::Offload& offload, std::function<void()> on_events)
    : settings_(settings),
      policy_(settings_.destinations),
      store_(store),
      offload_(offload),
      on_events_(std::move(on_events)) {
  unsigned char raw[8];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  owner_ = hex;
  channels_.push_back(std::make_unique<WebhookChannel>(
      WebhookSettings{settings_.webhook_timeout, settings_.webhook_ca_file}, policy_));
}

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

std::vector<bus::Verdict> NotifierService::on_task_events(const std::vector<bus::Event>& events) {
  std::vector<bus::Verdict> verdicts(events.size());
  struct Change {
    std::string event_id;
    core::UserId user = 0;
    std::string name;  // task.<op>
    std::string body;
    core::TaskId task = 0;
  };
  std::vector<Change> changes;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto message = wire::read_task_events(events[i].type, events[i].data);
    if (!message) {
      // The auditor, the consumer of record of task events, dead-letters it; a second dead
      // letter here would only be redriven into the same failure.
      base::log_json(spdlog::level::warn, "a task event the notifier cannot read is skipped",
                     {{"event_id", events[i].id}, {"error", message.error().message}});
      continue;
    }
    const auto* e = std::get_if<wire::TaskEvent>(&*message);
    if (!e || e->op == wire::TaskOp::reopened) continue;  // a deleted user's go with the reminders
    boost::json::object body{{"type", std::string{e->type()}},
                             {"event_id", events[i].id},
                             {"task_id", e->task_id},
                             {"user_id", e->user_id},
                             {"task", e->task_data},
                             {"changes", e->changes},
                             {"actor", e->actor},
                             {"at", core::format_rfc3339(e->timestamp)}};
    changes.push_back({events[i].id, e->user_id, "task." + std::string{wire::to_string(e->op)},
                       boost::json::serialize(body), e->task_id});
  }
  // Most users have no webhook selecting task events: a read finds the events that concern
  // someone, and only those take a write (and a processed-events row).
  auto wanted = store_.read_value([&](store::NotifierReader& r) -> core::Result<std::vector<bool>> {
    std::vector<bool> out(changes.size(), false);
    for (std::size_t k = 0; k < changes.size(); ++k) {
      for (const auto& channel : channels_) {
        auto records = channel->event_records(r, changes[k].user, changes[k].name);
        if (!records) return records.error();
        if (!records->empty()) out[k] = true;
      }
      // A deleted task's override goes with it.
      if (changes[k].name == "task.deleted") {
        auto o = r.notification_override(changes[k].user, changes[k].task);
        if (!o) return o.error();
        if (*o) out[k] = true;
      }
    }
    return out;
  });
  if (!wanted) return bus::retry_from_first_kept(std::move(verdicts), wanted.error().message);
  std::vector<Change> concerned;
  for (std::size_t k = 0; k < changes.size(); ++k) {
    if ((*wanted)[k]) concerned.push_back(std::move(changes[k]));
  }
  changes = std::move(concerned);
  if (changes.empty()) return verdicts;
  bool deliveries = false;
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    deliveries = false;
    const auto now = core::now();
    for (const auto& c : changes) {
      auto fresh = w.mark_processed(k_consumer, c.event_id, now);
      if (!fresh) return fresh.error();
      if (!*fresh) continue;
      if (c.name == "task.deleted") {
        if (auto d = w.delete_notification_override(c.user, c.task); !d) return d.error();
      }
      for (const auto& channel : channels_) {
        auto records = channel->event_records(w, c.user, c.name);
        if (!records) return records.error();
        for (const auto& name : *records) {
          store::Delivery d{"event:" + c.event_id, name, "pending", 0, {}, now, {}, c.user, now};
          d.payload = c.body;
          if (auto u = w.upsert_delivery(d); !u) return u;
          deliveries = true;
        }
      }
    }
    return {};
  });
  if (!st) return bus::retry_from_first_kept(std::move(verdicts), st.error().message);
  if (deliveries) wake_background();
  return verdicts;
}

core::Result<int> NotifierService::fire_due(const std::vector<std::string>& ids) {
  return fire_at(ids, core::now());
}

core::Result<int> NotifierService::fire_at(const std::vector<std::string>& ids, core::Instant now) {
  int fired = 0;
  bool deliveries = false;
  std::vector<core::Instant> due_times;  // remind_at of each reminder fired
  int digests = 0;
  std::vector<store::ReminderRow> next_digests;
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    fired = 0;
    digests = 0;
    deliveries = false;
    due_times.clear();
    next_digests.clear();
    for (const auto& id : ids) {
      auto reminder = w.fire_reminder(id, now);
      if (!reminder) return reminder.error();
      if (!*reminder) continue;  // cancelled, fired already, or (moved) not due yet
      const auto& r = **reminder;
      if (is_digest(r.id)) {
        auto next = fire_digest(w, r, now, deliveries);
        if (!next) return next.error();
        if (*next) next_digests.push_back(std::move(**next));
        ++digests;
        continue;
      }
      store::NotificationRow n{0, r.user_id, r.task_id, r.id, r.title, r.remind_at, now, {}};
      auto nid = w.insert_notification(n);
      if (!nid) return nid.error();
      n.id = *nid;
      store::Delivery in_app{r.id, "in_app", "delivered", 1, {}, {}, now, r.user_id, now, now};
      if (auto d = w.upsert_delivery(in_app); !d) return d;
      auto controls = reminder_controls(w, r, now);
      if (!controls) return controls.error();
      for (const auto& channel : channels_) {
        auto records = channel->records(w, r);
        if (!records) return records.error();
        for (const auto& name : *records) {
          if (!controls->sends(name)) continue;
          // A held delivery takes its place in the channel's order at the window's end, so a
          // reminder that is not held (high priority) goes before it, not after.
          const auto first_attempt = controls->first_attempt(name);
          if (auto d = w.upsert_delivery(
                  {r.id, name, "pending", 0, {}, first_attempt, {}, r.user_id, first_attempt});
              !d) {
            return d;
          }
          deliveries = true;
        }
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
  if (deliveries) wake_background();
  for (const auto& d : next_digests) scheduler_->schedule(d.id, d.remind_at);
  // A reminder moved later since it was queued is still scheduled: queue it at its new time.
  if (fired + digests < static_cast<int>(ids.size())) {
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
  dispatch_seconds_.render("tickler_delivery_dispatch_seconds",
                           "Time of one delivery dispatch pass (read the due heads, start them).",
                           out);
  dispatch_heads_.render("tickler_delivery_dispatch_heads",
                         "Queue heads one delivery dispatch pass read, every channel kind.", out);
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
    if (auto n = deliver_pending(); !n) {
      base::log_json(spdlog::level::warn, "starting deliveries failed",
                     {{"error", n.error().message}});
    }
    std::unique_lock lock{mutex_};
    // Retries come due on their own: look at least every second while any may be pending.
    cv_.wait_for(lock, stop, std::chrono::seconds{1}, [this] { return work_; });
    work_ = false;
  }
}

}  // namespace tickler::services::notifier
