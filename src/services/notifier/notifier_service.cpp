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
                       boost::json::serialize(body)});
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
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    fired = 0;
    deliveries = false;
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
      store::Delivery in_app{r.id, "in_app", "delivered", 1, {}, {}, now, r.user_id, now, now};
      if (auto d = w.upsert_delivery(in_app); !d) return d;
      for (const auto& channel : channels_) {
        auto records = channel->records(w, r);
        if (!records) return records.error();
        for (const auto& name : *records) {
          if (auto d = w.upsert_delivery({r.id, name, "pending", 0, {}, now, {}, r.user_id, now});
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

Channel* NotifierService::channel_for(std::string_view record) const {
  for (const auto& c : channels_) {
    if (c->owns(record)) return c.get();
  }
  return nullptr;
}

core::Status NotifierService::attempt_one(const store::Delivery& delivery,
                                          const std::optional<Attempt>& attempt) {
  const auto now = core::now();
  auto claimed = store_.write_value([&](store::NotifierWriter& w) {
    return w.claim_delivery(delivery.reminder_id, delivery.channel, owner_, now,
                            now + settings_.delivery_lease);
  });
  if (!claimed) return claimed.error();
  if (!*claimed) return {};  // another notifier attempts it, or it is final already
  store::Delivery next = std::move(**claimed);
  // A notifier that died during earlier attempts counted them without recording an outcome.
  const auto outcome =
      next.attempts > settings_.delivery_max_attempts
          ? Outcome::failed(next.last_error.value_or("the notifier stopped during every attempt"))
      : attempt ? attempt->send()
                : Outcome::failed("the reminder or the user's " + next.channel + " is gone");
  const auto at = core::now();
  switch (outcome.kind) {
    case Outcome::Kind::delivered:
      next.state = "delivered";
      next.sent_at = at;
      next.delivered_at = at;
      next.last_error.reset();
      break;
    case Outcome::Kind::sent:
      next.state = "sent";
      next.sent_at = at;
      next.last_error.reset();
      break;
    case Outcome::Kind::failed:
      next.state = "dead";
      next.last_error = outcome.error;
      break;
    case Outcome::Kind::retry:
      next.last_error = outcome.error;
      if (next.attempts >= settings_.delivery_max_attempts) {
        next.state = "dead";
      } else {
        next.state = "failed";
        const auto backoff = std::min<std::chrono::seconds>(
            std::max(std::chrono::seconds{1LL << std::min(next.attempts, 20)}, outcome.retry_after),
            settings_.delivery_max_backoff);
        next.next_attempt = at + backoff;
      }
      break;
  }
  auto recorded =
      store_.write_value([&](store::NotifierWriter& w) { return w.finish_delivery(next, owner_); });
  if (!recorded) return recorded.error();
  if (!*recorded) {
    base::log_json(spdlog::level::warn, "a delivery's lease ran out before its outcome",
                   {{"reminder_id", next.reminder_id}, {"channel", next.channel}});
  }
  return {};
}

core::Result<int> NotifierService::deliver_pending() {
  if (!dispatcher_) return 0;
  struct Candidate {
    store::Delivery delivery;
    std::optional<Attempt> attempt;
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
          if (busy.contains(d.user_id)) continue;
          auto* channel = channel_for(d.channel);
          if (!channel) continue;  // a channel this process does not run: left pending
          std::optional<Attempt> attempt;
          if (AttemptInput::is_event(d)) {
            auto a = channel->prepare_event(r, d);
            if (!a) return a.error();
            out.push_back({std::move(d), std::move(*a)});
            continue;
          }
          auto reminder = r.reminder(d.reminder_id);
          if (!reminder) return reminder.error();
          if (*reminder) {
            store::Delivery upcoming = d;
            upcoming.attempts += 1;  // the attempt it prepares
            auto a = channel->prepare(r, AttemptInput{upcoming, **reminder});
            if (!a) return a.error();
            attempt = std::move(*a);
          }
          out.push_back({std::move(d), std::move(attempt)});
        }
        return out;
      });
  if (!candidates) return candidates.error();
  int started = 0;
  for (auto& c : *candidates) {
    const auto user = c.delivery.user_id;
    const auto host = c.attempt ? c.attempt->destination : std::string{};
    const bool ok = dispatcher_->try_start(user, host, [this, c = std::move(c)] {
      if (auto st = attempt_one(c.delivery, c.attempt); !st) {
        base::log_json(spdlog::level::warn, "recording a delivery failed",
                       {{"reminder_id", c.delivery.reminder_id},
                        {"channel", c.delivery.channel},
                        {"error", st.error().message}});
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
