#pragma once
// The Store interface: everything the services persist, behind read and write transactions.
// A write transaction commits when its function returns success and rolls back otherwise, so a
// service can make several changes (a task change plus its outbox rows) atomically. A write
// function may run more than once (PostgreSQL retries a transaction that lost a race), so it acts
// only through the Writer and overwrites, never appends to, what it captures.
// Calls block; callers run them off the I/O threads (base::Offload).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/task_query.hpp"
#include "store/audit.hpp"
#include "store/events.hpp"
#include "store/notifier.hpp"

namespace tickler::store {

using core::Result;
using core::Status;

// A stored answer for an Idempotency-Key.
struct IdempotentResponse {
  std::string request_hash;
  int status = 0;
  std::string body;
};

// A one-time sign-up code; only its SHA-256 (hex) is stored.
struct Invite {
  std::string code_hash;
  core::Instant created_at{};
  core::Instant expires_at{};
};

struct PoolStats {
  int size = 0;
  int in_use = 0;
  std::uint64_t waits = 0;       // checkouts that had to wait for a free connection
  std::uint64_t commits = 0;     // write transactions committed (or rolled back)
  std::uint64_t write_jobs = 0;  // write() calls they carried: jobs / commits = group size
};

class Reader {
 public:
  virtual ~Reader() = default;
  virtual Result<std::optional<core::User>> user_by_email(std::string_view email) = 0;
  virtual Result<std::optional<core::User>> user_by_id(core::UserId id) = 0;
  // Every user, by id.
  virtual Result<std::vector<core::User>> users() = 0;
  // not_found when the task does not exist for this user.
  virtual Result<core::Task> task(core::UserId user, core::TaskId id) = 0;
  virtual Result<core::TaskPage> tasks(const core::TaskQuery& query) = 0;
  // The first task of a user's series with an index above after_index, if any.
  virtual Result<std::optional<core::Task>> next_in_series(core::UserId user,
                                                           core::TaskId series_id,
                                                           int after_index) = 0;
  virtual Result<std::vector<core::TagCount>> tag_counts(core::UserId user) = 0;
  // The stored answer for (user, key) created at or after not_before, if any.
  virtual Result<std::optional<IdempotentResponse>> idempotent_response(
      core::UserId user, std::string_view key, core::Instant not_before) = 0;

  // Events: the oldest unsent outbox rows of a lane, in id order; dead letters, newest first.
  virtual Result<std::vector<OutboxRow>> unsent_outbox(int limit, OutboxLane lane) = 0;
  virtual Result<OutboxBacklog> outbox_backlog() = 0;
  virtual Result<std::vector<DeadLetter>> dead_letters(bool include_redriven, int limit) = 0;

  // Audit: a task's entries oldest first; all entries in chain order (user, id); chain heads.
  virtual Result<std::vector<AuditEntry>> audit_history(core::UserId user, core::TaskId task) = 0;
  virtual Status for_each_audit_entry(const std::function<Status(const AuditEntry&)>& fn) = 0;
  virtual Result<std::vector<AuditHead>> audit_heads() = 0;
  virtual Result<std::optional<AuditHead>> audit_head(core::UserId user) = 0;

  // Notifier: scheduled reminders due by `at` (oldest first); every scheduled one (for the timer
  // queue at start-up); a user's notifications, newest first, below before_id when given.
  virtual Result<std::vector<ReminderRow>> due_reminders(core::Instant at, int limit) = 0;
  virtual Result<std::vector<ReminderRow>> scheduled_reminders() = 0;
  virtual Result<std::vector<NotificationRow>> notifications(
      core::UserId user, bool unread_only, int limit, std::optional<std::int64_t> before_id) = 0;
  virtual Result<std::optional<Webhook>> webhook(core::UserId user) = 0;
  // The next delivery of each user and channel (the oldest pending one), where it is due by `at`;
  // soonest first. A user whose next delivery waits for a retry has none due.
  virtual Result<std::vector<Delivery>> pending_deliveries(core::Instant at, int limit) = 0;
  virtual Result<std::optional<ReminderRow>> reminder(std::string_view id) = 0;
};

class Writer : public Reader {
 public:
  // conflict when the email exists. Returns the user with its id.
  virtual Result<core::User> insert_user(core::User user) = 0;
  // Writes name, password hash, token generation and disabled; not_found when there is no such
  // user.
  virtual Status update_user(const core::User& user) = 0;
  // Deletes the user and every row of theirs in the api's tables (tasks, tags, idempotency keys,
  // unsent outbox rows). SQLite, which holds every role's tables, also deletes what
  // delete_user_notifier_data and delete_user_audit do: one transaction for the whole account.
  virtual Status delete_user(core::UserId id) = 0;
  virtual Status insert_invite(const Invite& invite) = 0;
  // Marks an unused, unexpired invite used at `at`; false when there is none such.
  virtual Result<bool> use_invite(std::string_view code_hash, core::Instant at) = 0;
  // Assigns the id.
  virtual Result<core::Task> insert_task(core::Task task) = 0;
  virtual Status update_task(const core::Task& task) = 0;
  virtual Status delete_task(core::UserId user, core::TaskId id) = 0;
  virtual Status save_idempotent_response(core::UserId user, std::string_view key,
                                          const IdempotentResponse& response, core::Instant at) = 0;
  virtual Status purge_idempotency(core::Instant older_than) = 0;

  // Events. append_outbox returns the row id (the event id).
  virtual Result<std::int64_t> append_outbox(const OutboxRow& row) = 0;
  // Marks every row of `ids` sent at `at` (one statement where the database allows).
  virtual Status mark_outbox_sent(const std::vector<std::int64_t>& ids, core::Instant at) = 0;
  virtual Status mark_outbox_failed(std::int64_t id, std::string_view error) = 0;
  // Records that consumer handled event_id; false when it had already (then change nothing).
  virtual Result<bool> mark_processed(std::string_view consumer, std::string_view event_id,
                                      core::Instant at) = 0;
  virtual Status insert_dead_letter(const DeadLetter& letter) = 0;
  // Puts dead letters back in the outbox for their subscriber only, keeping their event ids:
  // one (id) or every one not yet redriven (nullopt). Returns how many.
  virtual Result<int> redrive_dead_letters(std::optional<std::int64_t> id, core::Instant at) = 0;

  // Appends an entry (its hashes already computed) and moves the user's chain head to it.
  virtual Result<std::int64_t> append_audit(const AuditEntry& entry) = 0;

  // Notifier. upsert_reminder reschedules a scheduled or cancelled reminder, never a fired one;
  // cancel_reminder only cancels a scheduled one. fire_reminder moves a scheduled reminder whose
  // time has come (remind_at <= at) to fired and returns it; nullopt when it was not scheduled
  // or is not due: that is what makes a reminder fire once.
  virtual Status upsert_reminder(const ReminderRow& reminder) = 0;
  virtual Result<bool> cancel_reminder(std::string_view id) = 0;
  virtual Result<std::optional<ReminderRow>> fire_reminder(std::string_view id,
                                                           core::Instant at) = 0;
  virtual Result<std::int64_t> insert_notification(const NotificationRow& n) = 0;
  // false when the user has no such notification.
  virtual Result<bool> mark_notification_read(core::UserId user, std::int64_t id,
                                              core::Instant at) = 0;
  virtual Status set_webhook(const Webhook& hook) = 0;
  virtual Status delete_webhook(core::UserId user) = 0;
  virtual Status upsert_delivery(const Delivery& delivery) = 0;
  // The notifier's rows of a deleted user: reminders (so none fires), their deliveries,
  // notifications and the webhook.
  virtual Status delete_user_notifier_data(core::UserId user) = 0;
  // The auditor's rows of a deleted user: the user's whole hash chain and its head (chains are
  // per user, so every other chain still verifies).
  virtual Status delete_user_audit(core::UserId user) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Status read(const std::function<Status(Reader&)>& fn) = 0;
  virtual Status write(const std::function<Status(Writer&)>& fn) = 0;
  // Applies pending migrations; returns how many were applied.
  virtual Result<int> migrate() = 0;
  virtual Status ping() = 0;
  [[nodiscard]] virtual PoolStats pool_stats() const = 0;

  // Typed conveniences over read/write for a function returning Result<T>.
  template <class F>
  auto read_value(F&& fn) -> decltype(fn(std::declval<Reader&>())) {
    return run<decltype(fn(std::declval<Reader&>()))>(
        [&](auto& sink) { return read([&](Reader& r) { return sink(fn(r)); }); });
  }
  template <class F>
  auto write_value(F&& fn) -> decltype(fn(std::declval<Writer&>())) {
    return run<decltype(fn(std::declval<Writer&>()))>(
        [&](auto& sink) { return write([&](Writer& w) { return sink(fn(w)); }); });
  }

 private:
  template <class R, class Tx>
  static R run(Tx&& tx) {
    std::optional<R> out;
    auto sink = [&out](R r) -> Status {
      if (!r) return r.error();
      out.emplace(std::move(r));
      return {};
    };
    Status st = tx(sink);
    if (!st) return st.error();
    return std::move(*out);
  }
};

}  // namespace tickler::store
