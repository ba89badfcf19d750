#include "services/notifier/notifier_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <tuple>
#include <variant>

#include "auth/digest.hpp"
#include "base/log.hpp"
#include "bus/event.hpp"
#include "http/client.hpp"

namespace tickler::services::notifier {
namespace {

std::string text(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string{v->as_string()} : std::string{};
}

// The notifications-topic event and the webhook body of a fired reminder.
boost::json::object fired_json(const store::NotificationRow& n) {
  return {{"notification_id", n.id},
          {"reminder_id", n.reminder_id},
          {"user_id", n.user_id},
          {"task_id", n.task_id},
          {"title", n.title},
          {"remind_at", core::format_rfc3339(n.remind_at)},
          {"fired_at", core::format_rfc3339(n.fired_at)}};
}

// The user of a tickler.user.deleted.v1 event; nullopt when the data has none.
std::optional<core::UserId> deleted_user(const bus::Event& event) {
  boost::system::error_code ec;
  auto data = boost::json::parse(event.data, ec);
  if (ec || !data.is_object()) return std::nullopt;
  const auto* user = data.as_object().if_contains("user_id");
  if (!user || !user->is_int64()) return std::nullopt;
  return user->as_int64();
}

constexpr std::string_view k_user_deleted_type = "tickler.user.deleted.v1";

}  // namespace

core::Status NotifierService::start() {
  auto pending =
      store_.read_value([](store::NotifierReader& r) { return r.scheduled_reminders(); });
  if (!pending) return pending.error();
  for (const auto& r : *pending) scheduler_->schedule(r.id, r.remind_at);
  if (auto fired = sweep(); !fired) return fired.error();
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

namespace {

// A reminder event read: the reminder and whether it is scheduled (else cancelled); or why not.
std::variant<std::pair<store::ReminderRow, bool>, std::string> read_reminder_event(
    const bus::Event& event) {
  boost::system::error_code ec;
  auto data = boost::json::parse(event.data, ec);
  if (ec || !data.is_object()) return std::string{"reminder event data is not an object"};
  const auto& o = data.as_object();
  store::ReminderRow r;
  r.id = text(o, "reminder_id");
  const auto* task = o.if_contains("task_id");
  const auto* user = o.if_contains("user_id");
  const auto remind_at = core::parse_rfc3339(text(o, "remind_at"));
  if (r.id.empty() || !task || !task->is_int64() || !user || !user->is_int64() || !remind_at) {
    return std::string{"reminder event needs reminder_id, task_id, user_id, remind_at"};
  }
  r.task_id = task->as_int64();
  r.user_id = user->as_int64();
  r.remind_at = *remind_at;
  r.title = text(o, "title");
  r.due_at = core::parse_rfc3339(text(o, "due_at"));
  const bool schedule = event.type == "tickler.reminder.scheduled.v1";
  if (!schedule && event.type != "tickler.reminder.cancelled.v1") {
    return "unknown reminder event type " + event.type;
  }
  return std::pair{std::move(r), schedule};
}

}  // namespace

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
    if (events[i].type == k_user_deleted_type) {
      if (auto user = deleted_user(events[i])) {
        deletions.emplace_back(events[i].id, *user);
      } else {
        verdicts[i] = bus::Verdict::drop("user deletion without a user_id");
      }
      continue;
    }
    auto read = read_reminder_event(events[i]);
    if (auto* why = std::get_if<std::string>(&read)) {
      verdicts[i] = bus::Verdict::drop(*why);
    } else {
      auto& [row, schedule] = std::get<0>(read);
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
      store::OutboxRow event;
      event.topic = std::string{bus::topic::notifications};
      event.type = "tickler.reminder.fired.v1";
      event.source = std::string{k_source};
      event.subject = r.id;
      event.user_id = r.user_id;
      event.data = boost::json::serialize(fired_json(n));
      event.created_at = now;
      if (auto e = w.append_outbox(event); !e) return e.error();
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
    boost::json::object body{{"type", "tickler.reminder.fired.v1"},
                             {"reminder_id", reminder->id},
                             {"task_id", reminder->task_id},
                             {"user_id", reminder->user_id},
                             {"title", reminder->title},
                             {"remind_at", core::format_rfc3339(reminder->remind_at)},
                             {"fired_at", core::format_rfc3339(reminder->fired_at.value_or(now))}};
    const auto payload = boost::json::serialize(body);
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
  auto next_sweep = std::chrono::steady_clock::now() + settings_.sweep_interval;
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
