// The Store contract, continued: the outbox, dead letters, processed events, the audit chain,
// reminders, notifications and webhooks, and read snapshots.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <set>
#include <thread>
#include <variant>

#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

OutboxRow event(const std::string& topic, core::UserId user, std::int64_t at_ms) {
  OutboxRow row;
  row.topic = topic;
  row.type = "tickler.task.created.v1";
  row.source = "/tickler/api";
  row.subject = "42";
  row.user_id = user;
  row.data = R"({"task_id": 42,  "note": "spaces kept"})";
  row.created_at = from_millis(at_ms);
  return row;
}

// Appends one task-events row per entry of `users`, created at ms 10, 11, …; their ids.
std::vector<std::int64_t> append_events(Store& store, const std::vector<core::UserId>& users) {
  std::vector<std::int64_t> ids;
  for (std::size_t i = 0; i < users.size(); ++i) {
    auto id = store.write_value([&](Writer& w) {
      return w.append_outbox(event("task-events", users[i], 10 + static_cast<std::int64_t>(i)));
    });
    EXPECT_TRUE(id) << id.error().message;
    if (id) ids.push_back(*id);
  }
  return ids;
}

TEST_P(StoreContract, OutboxRowsAreMarkedSentTogether) {
  const auto ids = append_events(*store_, {alice_, alice_, alice_});
  ASSERT_EQ(ids.size(), 3U);
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.mark_outbox_sent({ids[0], ids[2]}, from_millis(99));
  }));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.mark_outbox_sent({}, from_millis(99)); }));
  auto unsent = store_->read_value([&](Reader& r) { return r.unsent_outbox(10, {}); });
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 1U);
  EXPECT_EQ((*unsent)[0].id, ids[1]);
  auto backlog = store_->read_value([&](Reader& r) { return r.outbox_backlog(); });
  ASSERT_TRUE(backlog);
  EXPECT_EQ(backlog->pending, 1);
  EXPECT_EQ(backlog->oldest, from_millis(11));
  ASSERT_TRUE(
      store_->write([&](Writer& w) { return w.mark_outbox_sent({ids[1]}, from_millis(99)); }));
  backlog = store_->read_value([&](Reader& r) { return r.outbox_backlog(); });
  ASSERT_TRUE(backlog);
  EXPECT_EQ(backlog->pending, 0);
  EXPECT_FALSE(backlog->oldest);
}

TEST_P(StoreContract, OutboxKeepsOrderUntilSent) {
  const auto ids = append_events(*store_, {alice_, alice_, alice_});
  ASSERT_EQ(ids.size(), 3U);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    if (auto st = w.mark_outbox_failed(ids[0], "broker down"); !st) return st;
    if (auto st = w.mark_outbox_failed(ids[0], "broker down"); !st) return st;
    return w.mark_outbox_sent({ids[1]}, from_millis(99));
  }));
  auto unsent = store_->read_value([&](Reader& r) { return r.unsent_outbox(10, {}); });
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 2U);
  EXPECT_EQ((*unsent)[0].id, ids[0]);
  EXPECT_EQ((*unsent)[0].attempts, 2);
  EXPECT_EQ((*unsent)[0].data, R"({"task_id": 42,  "note": "spaces kept"})");
  EXPECT_EQ((*unsent)[0].created_at, from_millis(10));
  EXPECT_EQ((*unsent)[0].cloud_event_id(), std::to_string(ids[0]));
  EXPECT_FALSE((*unsent)[0].target);
  EXPECT_EQ((*unsent)[1].id, ids[2]);
  auto one = store_->read_value([&](Reader& r) { return r.unsent_outbox(1, {}); });
  ASSERT_TRUE(one);
  EXPECT_EQ(one->size(), 1U);
}

TEST_P(StoreContract, OutboxLanesShareRowsByUserInIdOrder) {
  auto other = bob_;  // a user in the other lane of two
  for (int i = 0; other % 2 == alice_ % 2 && i < 3; ++i) {
    other = add_user("lane" + std::to_string(i) + "@example.com");
  }
  ASSERT_NE(other % 2, alice_ % 2);
  const auto ids = append_events(*store_, {alice_, other, alice_, other, alice_});
  ASSERT_EQ(ids.size(), 5U);
  std::vector<std::int64_t> seen;
  for (int lane = 0; lane < 2; ++lane) {
    auto rows = store_->read_value([&](Reader& r) { return r.unsent_outbox(10, {lane, 2}); });
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_FALSE(rows->empty());
    const auto user = rows->front().user_id;
    EXPECT_EQ(user % 2, lane);
    for (const auto& row : *rows) {
      EXPECT_EQ(row.user_id, user);  // one of the two users per lane
      seen.push_back(row.id);
    }
    EXPECT_TRUE(std::is_sorted(rows->begin(), rows->end(),
                               [](const auto& a, const auto& b) { return a.id < b.id; }));
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, ids);  // every row in exactly one lane
}

TEST_P(StoreContract, DeadLettersRedriveToTheirSubscriberWithTheirIds) {
  for (int i = 0; i < 3; ++i) {
    DeadLetter d;
    d.subscriber = i == 2 ? "notifier" : "auditor";
    d.event = event("task-events", alice_, 5);
    d.event.event_id = "ev-" + std::to_string(i);
    d.error = "poison " + std::to_string(i);
    d.created_at = from_millis(100 + i);
    ASSERT_TRUE(store_->write([&](Writer& w) { return w.insert_dead_letter(d); }));
  }
  auto letters = store_->read_value([&](Reader& r) { return r.dead_letters(false, 10); });
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 3U);
  EXPECT_EQ((*letters)[0].event.cloud_event_id(), "ev-2");  // newest first
  EXPECT_EQ((*letters)[0].subscriber, "notifier");
  EXPECT_EQ((*letters)[2].error, "poison 0");
  EXPECT_EQ((*letters)[2].created_at, from_millis(100));
  EXPECT_FALSE((*letters)[2].redriven_at);

  const auto oldest = (*letters)[2].id;
  const auto horizon = from_millis(0);  // every letter is younger (the horizon: retention tests)
  auto one = store_->write_value(
      [&](Writer& w) { return w.redrive_dead_letters(oldest, from_millis(200), horizon); });
  ASSERT_TRUE(one);
  EXPECT_EQ(one->redriven, 1);
  auto rest = store_->write_value(
      [&](Writer& w) { return w.redrive_dead_letters(std::nullopt, from_millis(300), horizon); });
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->redriven, 2);
  auto none = store_->write_value(
      [&](Writer& w) { return w.redrive_dead_letters(std::nullopt, from_millis(400), horizon); });
  ASSERT_TRUE(none);
  EXPECT_EQ(none->redriven, 0);

  auto unsent = store_->read_value([&](Reader& r) { return r.unsent_outbox(10, {}); });
  ASSERT_TRUE(unsent);
  ASSERT_EQ(unsent->size(), 3U);
  EXPECT_EQ((*unsent)[0].cloud_event_id(), "ev-0");
  EXPECT_EQ((*unsent)[0].target, "auditor");
  EXPECT_EQ((*unsent)[0].created_at, from_millis(200));
  EXPECT_EQ((*unsent)[1].cloud_event_id(), "ev-1");
  EXPECT_EQ((*unsent)[2].cloud_event_id(), "ev-2");
  EXPECT_EQ((*unsent)[2].target, "notifier");

  auto open = store_->read_value([&](Reader& r) { return r.dead_letters(false, 10); });
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
  auto all = store_->read_value([&](Reader& r) { return r.dead_letters(true, 2); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[1].redriven_at, from_millis(300));
}

TEST_P(StoreContract, AnEventIsProcessedOncePerConsumer) {
  auto mark = [&](const char* consumer, const char* id) {
    return store_->write_value(
        [&](Writer& w) { return w.mark_processed(consumer, id, from_millis(1)); });
  };
  EXPECT_TRUE(*mark("auditor", "17"));
  EXPECT_FALSE(*mark("auditor", "17"));
  EXPECT_TRUE(*mark("notifier", "17"));
  // Rolled back with the effect it belonged to: the event counts as unprocessed.
  auto st = store_->write([&](Writer& w) -> core::Status {
    auto fresh = w.mark_processed("auditor", "18", from_millis(1));
    if (!fresh) return fresh.error();
    return core::make_error(core::Errc::unavailable, "effect failed");
  });
  EXPECT_FALSE(st);
  EXPECT_TRUE(*mark("auditor", "18"));
}

AuditEntry entry(core::UserId user, core::TaskId task, const std::string& event_id,
                 const std::string& prev) {
  return {0,
          event_id,
          user,
          task,
          "user:1",
          "tickler.task.updated.v1",
          R"({"title": {"before": "a", "after": "b"}})",
          from_millis(1'000),
          "req-1",
          prev,
          prev + "+" + event_id};
}

TEST_P(StoreContract, AuditChainsAndTheirHeads) {
  auto append = [&](const AuditEntry& e) {
    return store_->write_value([&](Writer& w) { return w.append_audit(e); });
  };
  auto a1 = append(entry(alice_, 7, "e1", "genesis"));
  auto b1 = append(entry(bob_, 9, "e2", "genesis"));
  auto a2 = append(entry(alice_, 8, "e3", "genesis+e1"));
  auto a3 = append(entry(alice_, 7, "e4", "genesis+e1+e3"));
  ASSERT_TRUE(a1 && b1 && a2 && a3) << (a3 ? "" : a3.error().message);
  auto dup = append(entry(alice_, 7, "e4", "genesis+e1+e3+e4"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::Errc::conflict);  // event ids are unique

  auto history = store_->read_value([&](Reader& r) { return r.audit_history(alice_, 7); });
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[0].id, *a1);
  EXPECT_EQ((*history)[0].changes, R"({"title": {"before": "a", "after": "b"}})");
  EXPECT_EQ((*history)[0].at, from_millis(1'000));
  EXPECT_EQ((*history)[0].request_id, "req-1");
  EXPECT_EQ((*history)[1].hash, "genesis+e1+e3+e4");

  std::vector<std::string> walk;
  ASSERT_TRUE(store_->read([&](Reader& r) {
    return r.for_each_audit_entry([&](const AuditEntry& e) -> core::Status {
      walk.push_back(e.event_id);
      return {};
    });
  }));
  EXPECT_EQ(walk, (std::vector<std::string>{"e1", "e3", "e4", "e2"}));  // (user, id) order
  auto stopped = store_->read([&](Reader& r) {
    return r.for_each_audit_entry([&](const AuditEntry&) -> core::Status {
      return core::make_error(core::Errc::internal, "stop");
    });
  });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "stop");

  auto heads = store_->read_value([&](Reader& r) { return r.audit_heads(); });
  ASSERT_TRUE(heads);
  ASSERT_EQ(heads->size(), 2U);
  EXPECT_EQ((*heads)[0].user_id, alice_);
  EXPECT_EQ((*heads)[0].last_id, *a3);
  EXPECT_EQ((*heads)[0].hash, "genesis+e1+e3+e4");
  EXPECT_EQ((*heads)[0].entries, 3);
  auto head = store_->read_value([&](Reader& r) { return r.audit_head(bob_); });
  ASSERT_TRUE(head && *head);
  EXPECT_EQ((*head)->entries, 1);
  auto none = store_->read_value([&](Reader& r) { return r.audit_head(12345); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

ReminderRow reminder(const std::string& id, std::int64_t remind_ms) {
  return {id,
          5,
          1,
          "Pay rent",
          from_millis(remind_ms + 60'000),
          from_millis(remind_ms),
          "scheduled",
          std::nullopt};
}

TEST_P(StoreContract, RemindersFireOnceAndNeverEarly) {
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    for (auto& r : {reminder("r1", 1'000), reminder("r2", 2'000), reminder("r3", 3'000)}) {
      if (auto st = w.upsert_reminder(r); !st) return st;
    }
    return {};
  }));
  auto fire = [&](const char* id, std::int64_t at) {
    return store_->write_value([&](Writer& w) { return w.fire_reminder(id, from_millis(at)); });
  };
  auto early = fire("r2", 1'999);
  ASSERT_TRUE(early);
  EXPECT_FALSE(*early);
  auto fired = fire("r2", 2'000);
  ASSERT_TRUE(fired && *fired);
  EXPECT_EQ((*fired)->state, "fired");
  EXPECT_EQ((*fired)->fired_at, from_millis(2'000));
  EXPECT_EQ((*fired)->due_at, from_millis(62'000));
  EXPECT_EQ((*fired)->title, "Pay rent");
  EXPECT_FALSE(*fire("r2", 5'000));  // once
  EXPECT_FALSE(*fire("nope", 5'000));

  auto cancel = [&](const char* id) {
    return store_->write_value([&](Writer& w) { return w.cancel_reminder(id); });
  };
  EXPECT_TRUE(*cancel("r3"));
  EXPECT_FALSE(*cancel("r3"));
  EXPECT_FALSE(*cancel("r2"));  // fired stays fired
  EXPECT_FALSE(*fire("r3", 5'000));

  // Rescheduling revives a cancelled reminder but never a fired one.
  auto moved = reminder("r2", 4'000);
  moved.title = "Pay the rent";
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    if (auto st = w.upsert_reminder(moved); !st) return st;
    return w.upsert_reminder(reminder("r3", 500));
  }));
  auto r2 = store_->read_value([&](Reader& r) { return r.reminder("r2"); });
  ASSERT_TRUE(r2 && *r2);
  EXPECT_EQ((*r2)->state, "fired");
  EXPECT_EQ((*r2)->title, "Pay the rent");
  EXPECT_EQ((*r2)->remind_at, from_millis(4'000));

  auto due = store_->read_value([&](Reader& r) { return r.due_reminders(from_millis(1'000), 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2U);
  EXPECT_EQ((*due)[0].id, "r3");  // oldest first
  EXPECT_EQ((*due)[1].id, "r1");
  auto limited =
      store_->read_value([&](Reader& r) { return r.due_reminders(from_millis(9'000), 1); });
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->size(), 1U);
  auto scheduled = store_->read_value(
      [&](Reader& r) { return r.scheduled_reminders_after({}, from_millis(1'000'000), 100); });
  ASSERT_TRUE(scheduled);
  ASSERT_EQ(scheduled->size(), 2U);
  EXPECT_FALSE((*scheduled)[0].fired_at);
  auto missing = store_->read_value([&](Reader& r) { return r.reminder("nope"); });
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

TEST_P(StoreContract, NotificationsWebhooksAndDeliveries) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    NotificationRow n{0,
                      alice_,
                      5,
                      "r" + std::to_string(i),
                      "Pay rent",
                      from_millis(10),
                      from_millis(20 + i),
                      std::nullopt};
    auto id = store_->write_value([&](Writer& w) { return w.insert_notification(n); });
    ASSERT_TRUE(id) << id.error().message;
    ids.push_back(*id);
  }
  auto dup = store_->write_value([&](Writer& w) {
    return w.insert_notification({0, alice_, 5, "r0", "again", from_millis(1), from_millis(2), {}});
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::Errc::conflict);  // one notification per reminder

  auto read = [&](core::UserId user, std::int64_t id) {
    return store_->write_value(
        [&](Writer& w) { return w.mark_notification_read(user, id, from_millis(50)); });
  };
  EXPECT_FALSE(*read(bob_, ids[1]));
  EXPECT_TRUE(*read(alice_, ids[1]));
  auto list = [&](bool unread, int limit, std::optional<std::int64_t> before) {
    auto got = store_->read_value(
        [&](Reader& r) { return r.notifications(alice_, unread, limit, before); });
    EXPECT_TRUE(got);
    std::vector<std::int64_t> out;
    for (const auto& n : *got) out.push_back(n.id);
    return out;
  };
  EXPECT_EQ(list(false, 10, std::nullopt), (std::vector<std::int64_t>{ids[2], ids[1], ids[0]}));
  EXPECT_EQ(list(true, 10, std::nullopt), (std::vector<std::int64_t>{ids[2], ids[0]}));
  EXPECT_EQ(list(false, 1, ids[2]), (std::vector<std::int64_t>{ids[1]}));
  auto one = store_->read_value([&](Reader& r) { return r.notifications(alice_, false, 10, {}); });
  ASSERT_TRUE(one);
  EXPECT_EQ((*one)[1].read_at, from_millis(50));
  EXPECT_EQ((*one)[0].fired_at, from_millis(22));
  EXPECT_EQ((*one)[0].reminder_id, "r2");

  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.set_webhook({alice_, "https://a.example/hook", "s1", from_millis(1)});
  }));
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.set_webhook({alice_, "https://b.example/hook", "s2", from_millis(2)});
  }));
  auto hook = store_->read_value([&](Reader& r) { return r.webhook(alice_); });
  ASSERT_TRUE(hook && *hook);
  EXPECT_EQ((*hook)->url, "https://b.example/hook");
  EXPECT_EQ((*hook)->secret, "s2");
  EXPECT_EQ((*hook)->created_at, from_millis(2));
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_webhook(alice_); }));
  EXPECT_FALSE(*store_->read_value([&](Reader& r) { return r.webhook(alice_); }));

  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    for (const auto& d : {
             Delivery{
                 "r0", "webhook", "pending", 0, {}, from_millis(30), {}, alice_, from_millis(1)},
             Delivery{"r1", "webhook", "pending", 0, {}, from_millis(10), {}, bob_, from_millis(2)},
             Delivery{"r1", "in_app", "delivered", 1, {}, {}, from_millis(5), bob_, from_millis(2)},
             // An update keeps the first created_at.
             Delivery{"r0",
                      "webhook",
                      "pending",
                      2,
                      "HTTP 500",
                      from_millis(40),
                      {},
                      alice_,
                      from_millis(9)},
         }) {
      if (auto st = w.upsert_delivery(d); !st) return st;
    }
    return {};
  }));
  auto pending =
      store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(40), 10); });
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 2U);
  EXPECT_EQ((*pending)[0].reminder_id, "r1");
  EXPECT_EQ((*pending)[0].user_id, bob_);
  EXPECT_EQ((*pending)[1].reminder_id, "r0");
  EXPECT_EQ((*pending)[1].attempts, 2);
  EXPECT_EQ((*pending)[1].last_error, "HTTP 500");
  EXPECT_EQ((*pending)[1].next_attempt, from_millis(40));
  EXPECT_EQ((*pending)[1].created_at, from_millis(1));
  EXPECT_FALSE((*pending)[1].delivered_at);
  auto early =
      store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(39), 10); });
  ASSERT_TRUE(early);
  EXPECT_EQ(early->size(), 1U);

  // A user's deliveries on a channel go one at a time, oldest first: a later one (r2, due now)
  // waits while the older r0 waits for its retry.
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.upsert_delivery(
        {"r2", "webhook", "pending", 0, {}, from_millis(20), {}, alice_, from_millis(3)});
  }));
  auto heads =
      store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(39), 10); });
  ASSERT_TRUE(heads);
  ASSERT_EQ(heads->size(), 1U);
  EXPECT_EQ((*heads)[0].reminder_id, "r1");
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.upsert_delivery(
        {"r0", "webhook", "delivered", 3, {}, {}, from_millis(41), alice_, from_millis(1)});
  }));
  heads = store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(41), 10); });
  ASSERT_TRUE(heads);
  ASSERT_EQ(heads->size(), 2U);
  EXPECT_EQ((*heads)[0].reminder_id, "r1");
  EXPECT_EQ((*heads)[1].reminder_id, "r2");
}

// A read sees one snapshot: a write committed in the middle of it is not seen.
TEST_P(StoreContract, AReadSeesOneSnapshot) {
  add_task(alice_, "first");
  std::size_t before = 0;
  std::size_t after = 0;
  ASSERT_TRUE(store_->read([&](Reader& r) -> core::Status {
    core::TaskQuery q;
    q.user_id = alice_;
    auto a = r.tasks(q);
    if (!a) return a.error();
    before = a->items.size();
    std::thread{[&] { add_task(alice_, "second"); }}.join();
    auto b = r.tasks(q);
    if (!b) return b.error();
    after = b->items.size();
    return {};
  }));
  EXPECT_EQ(before, 1U);
  EXPECT_EQ(after, 1U);
}

}  // namespace
}  // namespace tickler::store::contract
