#pragma once
// The notifier role. Keeps each reminder's durable state (scheduled → fired, or cancelled) from
// the reminders topic, fires it at its instant through the Scheduler (a ReminderPager in front of
// one timer queue in-process, of the Dapr Jobs API in distributed mode: it holds the coming
// window's reminders and pages the rest in) and, as a safety net, by a sweep right after start
// and every minute that fires every overdue reminder. Firing is a conditional update (scheduled →
// fired only when due), so a reminder never fires early or twice, whichever path gets there first.
// A fired reminder becomes a notification (in-app: row + notifications topic) and, when the user
// registered one, a signed webhook delivery with retries. Webhook deliveries run concurrently on
// a DeliveryDispatcher: one at a time per user, in order, a bounded number per destination host,
// and only to destinations the DestinationPolicy allows, so that one user's slow or dead webhook
// never delays another user's.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "base/offload.hpp"
#include "bus/bus.hpp"
#include "bus/scheduler.hpp"
#include "http/destination.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "services/notifier/delivery_dispatcher.hpp"
#include "services/notifier/email_service.hpp"
#include "services/notifier/reminder_window.hpp"
#include "store/store.hpp"

namespace tickler::services::notifier {

inline constexpr std::string_view k_consumer = "notifier";

struct NotifierSettings {
  std::chrono::seconds sweep_interval{60};
  int batch = 1000;
  int webhook_max_attempts = 8;
  std::chrono::milliseconds webhook_timeout{5000};
  std::chrono::seconds webhook_max_backoff{3600};
  http::DestinationSettings destinations;  // where webhooks may go
  DispatchLimits delivery;                 // webhook deliveries in flight
  PagerSettings pager;                     // which reminders the scheduler holds
  EmailSettings email;                     // the email channel (off without an SMTP URL)
};

class NotifierService {
 public:
  // on_events: wakes the outbox relay after notifications were committed.
  NotifierService(NotifierSettings settings, store::Store& store, base::Offload& offload,
                  std::function<void()> on_events)
      : settings_(settings),
        policy_(settings_.destinations),
        store_(store),
        offload_(offload),
        on_events_(std::move(on_events)) {}
  NotifierService(const NotifierService&) = delete;
  NotifierService& operator=(const NotifierService&) = delete;
  ~NotifierService() { stop(); }

  // The scheduler must be set before start(); it calls fire_due for due reminders.
  void set_scheduler(bus::Scheduler* scheduler) { scheduler_ = scheduler; }
  // Starts the background work and returns: a sweep at once (the reminders that came due while
  // the notifier was down fire), then one every sweep_interval, and webhook deliveries. What
  // is scheduled is the scheduler's (ReminderPager) to load.
  core::Status start();
  void stop();

  bus::Verdict on_reminder_event(const bus::Event& event);
  // The same for a run of events, applied in one transaction.
  std::vector<bus::Verdict> on_reminder_events(const std::vector<bus::Event>& events);
  // Fires these reminders if they are due (one transaction); returns how many fired.
  core::Result<int> fire_due(const std::vector<std::string>& ids);
  // Fires every overdue, unfired reminder; returns how many fired.
  core::Result<int> sweep();
  // Starts the deliveries of pending webhook notifications whose time has come, as far as the
  // dispatcher's limits allow; returns how many were started.
  core::Result<int> deliver_webhooks();
  void register_routes(http::Router& router);
  // tickler_reminder_fire_lateness_seconds: fired_at − remind_at of every reminder fired.
  void write_metrics(std::string& out) const;

 private:
  http::net::awaitable<http::Response> list_notifications(http::RequestContext& ctx);
  http::net::awaitable<http::Response> mark_read(http::RequestContext& ctx);
  http::net::awaitable<http::Response> get_webhook(http::RequestContext& ctx);
  http::net::awaitable<http::Response> put_webhook(http::RequestContext& ctx);
  http::net::awaitable<http::Response> delete_webhook(http::RequestContext& ctx);
  core::Result<int> fire_at(const std::vector<std::string>& ids, core::Instant now);
  // Blocking halves of the handlers.
  core::Result<std::vector<store::NotificationRow>> read_notifications(
      core::UserId user, bool unread_only, int limit, std::optional<std::int64_t> before);
  core::Result<bool> read_mark(core::UserId user, std::int64_t id);
  core::Result<std::optional<store::Webhook>> read_webhook(core::UserId user);
  core::Status write_webhook(const store::Webhook& hook);
  core::Status remove_webhook(core::UserId user);
  core::Status check_destination(const std::string& url);
  // Posts one delivery and records the outcome (blocking; on a dispatcher worker).
  core::Status deliver_one(store::Delivery delivery,
                           const std::optional<store::ReminderRow>& reminder,
                           const std::optional<store::Webhook>& hook);
  void background(std::stop_token stop);
  void wake_background();

  NotifierSettings settings_;
  http::DestinationPolicy policy_;
  store::Store& store_;
  base::Offload& offload_;
  std::function<void()> on_events_;
  bus::Scheduler* scheduler_ = nullptr;
  std::mutex mutex_;
  std::condition_variable_any cv_;
  bool work_ = false;  // webhook deliveries are waiting
  http::Histogram lateness_{{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300}};
  std::optional<DeliveryDispatcher> dispatcher_;  // from start() to stop()
  // Name lookups of URLs being saved: a slow resolver (one a user may control) ties up these
  // threads, never the store's.
  base::Offload lookups_{2};
  std::jthread thread_;
};

}  // namespace tickler::services::notifier
