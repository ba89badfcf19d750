#pragma once
// The notifier role. Keeps each reminder's durable state (scheduled → fired, or cancelled) from
// the reminders topic, fires it at its instant through the Scheduler (a ReminderPager in front of
// one timer queue in-process, of the Dapr Jobs API in distributed mode: it holds the coming
// window's reminders and pages the rest in) and, as a safety net, by a sweep right after start
// and every minute that fires every overdue reminder. Firing is a conditional update (scheduled →
// fired only when due), so a reminder never fires early or twice, whichever path gets there first.
// A fired reminder becomes a notification (in-app: row + notifications topic) and one durable
// delivery record per channel the user has on (channel.hpp: the webhook channel, and those added
// with add_channel), attempted with retries. Deliveries run concurrently on a
// DeliveryDispatcher: one at a time per user × channel, in order, a bounded number per
// destination, so that one user's slow or dead receiver never delays another user's, nor one
// channel's backlog another channel's (the due queue heads are read per channel kind).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/offload.hpp"
#include "bus/bus.hpp"
#include "bus/scheduler.hpp"
#include "core/notification_prefs.hpp"
#include "http/destination.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "services/notifier/channel.hpp"
#include "services/notifier/delivery_dispatcher.hpp"
#include "services/notifier/digest.hpp"
#include "services/notifier/email_service.hpp"
#include "services/notifier/ntfy_service.hpp"
#include "services/notifier/push_service.hpp"
#include "services/notifier/reminder_window.hpp"
#include "store/store.hpp"

namespace tickler::services::notifier {

inline constexpr std::string_view k_consumer = "notifier";

struct NotifierSettings {
  std::chrono::seconds sweep_interval{60};
  int batch = 1000;
  int delivery_max_attempts = 8;  // then a delivery is dead (tickler dlq deliveries)
  std::chrono::seconds delivery_max_backoff{3600};
  // How long a notifier holds a delivery it attempts: another one (a replica, or this one
  // restarted after a crash) may attempt it again only after that. Outlasts webhook_timeout.
  std::chrono::seconds delivery_lease{60};
  std::chrono::milliseconds webhook_timeout{5000};
  std::string webhook_ca_file;             // extra CAs (PEM) webhooks' certificates may chain to
  http::DestinationSettings destinations;  // where webhooks may go
  DispatchLimits delivery;                 // deliveries in flight
  PagerSettings pager;                     // which reminders the scheduler holds
  EmailSettings email;                     // the email channel (off without an SMTP URL)
  PushSettings push;                       // the Web Push channel (off without a VAPID key)
  NtfySettings ntfy;                       // the ntfy channel
};

// What the user's controls make of one fired reminder's records: which are kept (channels by
// priority, the task's override) and when each may first be attempted (quiet hours hold the
// channels that reach a person to the window's end; webhooks feed machines and are not held).
struct ReminderControls {
  core::NotificationPrefs prefs;
  std::optional<core::NotificationOverride> override_;
  core::Priority priority = core::Priority::none;
  std::optional<core::Instant> held_until;
  core::Instant now{};

  [[nodiscard]] bool sends(std::string_view record) const {
    return core::record_allowed(prefs, override_, priority, record);
  }
  [[nodiscard]] core::Instant first_attempt(std::string_view record) const {
    return held_until && core::quiet_hours_hold(record) ? *held_until : now;
  }
};

// A delivery record as a receipt: {reminder_id, channel, state, attempts, created_at, sent_at,
// delivered_at, next_attempt_at, last_error} (docs/api.md).
[[nodiscard]] boost::json::object delivery_json(const store::Delivery& d);

class NotifierService {
 public:
  // Heads a dispatch pass reads per channel kind beyond those it can start: the heads it skips
  // because their destination is full (e.g. a hostile user's webhooks to one host that hangs) or
  // their user is at their bound (DispatchLimits::per_user). More than the webhooks or push
  // subscriptions one user may have (10), so one user's never fill it; more such heads
  // than this, older than everyone else's, hold a kind back until their attempts end.
  static constexpr int k_full_destination_margin = 16;
  // on_events: wakes the outbox relay after notifications were committed.
  // The webhook channel is built in; others come with add_channel.
  NotifierService(NotifierSettings settings, store::Store& store, base::Offload& offload,
                  std::function<void()> on_events);
  NotifierService(const NotifierService&) = delete;
  NotifierService& operator=(const NotifierService&) = delete;
  ~NotifierService() { stop(); }

  // The scheduler must be set before start(); it calls fire_due for due reminders.
  void set_scheduler(bus::Scheduler* scheduler) { scheduler_ = scheduler; }
  // Adds a delivery channel (before start()): fired reminders get its records from then on.
  void add_channel(std::unique_ptr<Channel> channel) { channels_.push_back(std::move(channel)); }
  // Starts the background work and returns: a sweep at once (the reminders that came due while
  // the notifier was down fire), then one every sweep_interval, and webhook deliveries. What
  // is scheduled is the scheduler's (ReminderPager) to load.
  core::Status start();
  void stop();

  bus::Verdict on_reminder_event(const bus::Event& event);
  // Task events (task-events topic): a delivery per channel endpoint that selected the event
  // (a webhook's events), keyed event:<event id> × channel; applied once (processed events).
  std::vector<bus::Verdict> on_task_events(const std::vector<bus::Event>& events);
  // The same for a run of events, applied in one transaction.
  std::vector<bus::Verdict> on_reminder_events(const std::vector<bus::Event>& events);
  // Fires these reminders if they are due (one transaction); returns how many fired.
  core::Result<int> fire_due(const std::vector<std::string>& ids);
  // Fires every overdue, unfired reminder; returns how many fired.
  core::Result<int> sweep();
  // Starts the attempts of pending deliveries whose time has come, on every channel, as far as
  // the dispatcher's limits allow; returns how many were started.
  core::Result<int> deliver_pending();
  void register_routes(http::Router& router);
  // Whether the user has the task (the override routes answer 404 for another's); unset in the
  // distributed mode, where the frontend checks it before forwarding (the notifier's database
  // has no tasks). Set before the routes are used.
  using TaskCheck = std::function<core::Result<bool>(core::UserId, core::TaskId)>;
  void set_task_check(TaskCheck check) { task_check_ = std::move(check); }
  // Where a daily digest's tasks are read (the api's tables); without one (the distributed mode
  // for now) no digest is scheduled. Set before start().
  void set_digest_source(DigestSource source) { digest_source_ = std::move(source); }
  // tickler_reminder_fire_lateness_seconds: fired_at − remind_at of every reminder fired;
  // tickler_delivery_dispatch_seconds and _heads: each dispatch pass's time and heads read.
  void write_metrics(std::string& out) const;

 private:
  http::net::awaitable<http::Response> list_notifications(http::RequestContext& ctx);
  http::net::awaitable<http::Response> mark_read(http::RequestContext& ctx);
  http::net::awaitable<http::Response> get_webhook(http::RequestContext& ctx);
  http::net::awaitable<http::Response> put_webhook(http::RequestContext& ctx);
  http::net::awaitable<http::Response> delete_webhook(http::RequestContext& ctx);
  void register_delivery_routes(http::Router& router);  // delivery_handlers.cpp
  void register_control_routes(http::Router& router);   // preference_handlers.cpp
  http::net::awaitable<http::Response> get_settings(http::RequestContext& ctx);
  http::net::awaitable<http::Response> put_settings(http::RequestContext& ctx);
  http::net::awaitable<http::Response> handle_override(http::RequestContext& ctx);
  http::net::awaitable<http::Response> test_channel(http::RequestContext& ctx);
  core::Result<core::NotificationPrefs> read_settings(core::UserId user);
  core::Status write_settings(core::UserId user, const core::NotificationPrefs& prefs);
  enum class OverrideOp { get, set, remove };
  // The override read, set or removed (not_found when the user has no such task, or, for get
  // and remove, the task no override).
  core::Result<std::optional<core::NotificationOverride>> override_op(
      core::UserId user, core::TaskId task, OverrideOp op,
      const std::optional<core::NotificationOverride>& value);
  // false when the user sent 5 tests in the last minute.
  bool take_test_slot(core::UserId user);
  core::Result<std::optional<Attempt>> prepare_test(core::UserId user, const std::string& record);
  void register_webhook_routes(http::Router& router);  // webhook_handlers.cpp
  http::net::awaitable<http::Response> list_webhooks(http::RequestContext& ctx);
  http::net::awaitable<http::Response> create_webhook(http::RequestContext& ctx);
  http::net::awaitable<http::Response> get_webhook_by_id(http::RequestContext& ctx);
  http::net::awaitable<http::Response> patch_webhook(http::RequestContext& ctx);
  http::net::awaitable<http::Response> delete_webhook_by_id(http::RequestContext& ctx);
  core::Result<std::vector<store::Webhook>> read_webhooks(core::UserId user);
  // nullopt when the user has as many webhooks as allowed.
  core::Result<std::optional<std::int64_t>> add_webhook(store::Webhook hook);
  core::Result<bool> change_webhook(const store::Webhook& hook);
  core::Result<bool> remove_webhook_by_id(core::UserId user, std::int64_t id);
  http::net::awaitable<http::Response> list_task_deliveries(http::RequestContext& ctx);
  http::net::awaitable<http::Response> list_channels(http::RequestContext& ctx);
  core::Result<std::vector<store::Delivery>> read_task_deliveries(core::UserId user,
                                                                  core::TaskId task);
  core::Result<boost::json::array> read_channels(core::UserId user);
  core::Result<int> fire_at(const std::vector<std::string>& ids, core::Instant now);
  // A digest's row fired: its deliveries (the digest's channels the user has on) and the next
  // local day's row, returned to be scheduled (nullopt when the user has no digest any more).
  core::Result<std::optional<store::ReminderRow>> fire_digest(store::NotifierWriter& w,
                                                              const store::ReminderRow& r,
                                                              core::Instant now, bool& deliveries);
  // The user's next digest row, set in `w` (cancelling one scheduled around now in either zone);
  // nullopt when the preferences have none.
  core::Result<std::optional<store::ReminderRow>> schedule_digest(
      store::NotifierWriter& w, core::UserId user, const core::NotificationPrefs& prefs,
      const std::string& old_zone, core::Instant now);
  // A digest's content, read when its attempt is sent.
  core::Result<DigestContent> load_digest(const store::ReminderRow& row) const;
  // The user's preferences and the task's override, read in the firing transaction.
  static core::Result<ReminderControls> reminder_controls(store::NotifierReader& r,
                                                          const store::ReminderRow& reminder,
                                                          core::Instant now);
  // Blocking halves of the handlers.
  // Notifications with their deliveries (receipts), newest first.
  using NotificationReceipts =
      std::vector<std::pair<store::NotificationRow, std::vector<store::Delivery>>>;
  core::Result<NotificationReceipts> read_notifications(core::UserId user, bool unread_only,
                                                        int limit,
                                                        std::optional<std::int64_t> before);
  core::Result<bool> read_mark(core::UserId user, std::int64_t id);
  core::Result<std::optional<store::Webhook>> read_webhook(core::UserId user);
  // Sets the first webhook; returns it as stored (its id, its events).
  core::Result<store::Webhook> write_webhook(const store::Webhook& hook);
  core::Status remove_webhook(core::UserId user);
  core::Status check_destination(const std::string& url);
  // The channel whose record this is; null when none is (a channel no longer configured).
  Channel* channel_for(std::string_view record) const;
  // Runs one prepared attempt and records its outcome (blocking; on a dispatcher worker).
  // Claims it first (a lease), so no other notifier attempts it meanwhile.
  core::Status attempt_one(const store::Delivery& delivery, const std::optional<Attempt>& attempt);
  void background(std::stop_token stop);
  void wake_background();

  NotifierSettings settings_;
  std::string owner_;  // this notifier's name in delivery leases (random per process)
  http::DestinationPolicy policy_;
  store::Store& store_;
  base::Offload& offload_;
  std::function<void()> on_events_;
  bus::Scheduler* scheduler_ = nullptr;
  std::mutex mutex_;
  std::condition_variable_any cv_;
  bool work_ = false;  // deliveries are waiting
  http::Histogram lateness_{{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300}};
  // One dispatch pass (deliver_pending): its time, and the queue heads it read.
  http::Histogram dispatch_seconds_{
      {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1}};
  http::Histogram dispatch_heads_{{0, 1, 4, 16, 64, 256, 1024}};
  std::vector<std::unique_ptr<Channel>> channels_;
  std::optional<DeliveryDispatcher> dispatcher_;  // from start() to stop()
  // Where each queue's last prepared attempt went, for the dispatch thread alone: a head whose
  // queue's destination is full now is skipped without preparing it (its reads, its body), so a
  // backlog at one busy host costs a pass little. A hint may be stale (the user changed the URL):
  // it then holds that head back only while the old destination is full. Cleared past a bound.
  struct DestinationHint {
    std::string destination;
    int bound = 0;
  };
  std::map<DeliveryQueue, DestinationHint> destination_hints_;
  static constexpr std::size_t k_max_destination_hints = 100'000;
  // Name lookups of URLs being saved: a slow resolver (one a user may control) ties up these
  // threads, never the store's.
  base::Offload lookups_{2};
  TaskCheck task_check_;
  DigestSource digest_source_;
  std::mutex tests_mutex_;
  std::unordered_map<core::UserId, std::deque<std::chrono::steady_clock::time_point>> tests_;
  std::jthread thread_;
};

}  // namespace tickler::services::notifier
