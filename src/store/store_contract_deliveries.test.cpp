// The Store contract, continued: delivery records per reminder × channel — their states
// (pending → sent | delivered, failed → retried → dead → redriven), the lease an attempt is
// claimed with (one claimant at a time, another only after the lease ends), and the receipts a
// reminder's and a task's deliveries are read as.
#include <gtest/gtest.h>

#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

Delivery pending(const std::string& reminder, const std::string& channel, core::UserId user,
                 std::int64_t created_ms) {
  return {reminder, channel, "pending",
          0,        {},      from_millis(created_ms),
          {},       user,    from_millis(created_ms)};
}

TEST_P(StoreContract, ADeliveryIsClaimedByOneNotifierUntilItsLeaseEnds) {
  ASSERT_TRUE(store_->write(
      [&](Writer& w) { return w.upsert_delivery(pending("r1", "webhook", alice_, 10)); }));
  auto claim = [&](std::string_view owner, std::int64_t at, std::int64_t until) {
    auto c = store_->write_value([&](Writer& w) {
      return w.claim_delivery("r1", "webhook", owner, from_millis(at), from_millis(until));
    });
    EXPECT_TRUE(c) << c.error().message;
    return c ? *c : std::nullopt;
  };
  auto first = claim("a", 20, 1'000);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->attempts, 1);
  EXPECT_EQ(first->lease_until, from_millis(1'000));
  // Claimed: another notifier (or the same one) cannot claim it, nor is it offered as due.
  EXPECT_FALSE(claim("b", 500, 1'500));
  auto due =
      store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(500), 10); });
  ASSERT_TRUE(due);
  EXPECT_TRUE(due->empty());
  // The lease ended (its claimant died between the send and the record): b may claim it, and
  // a's late outcome is not recorded over b's.
  due = store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(1'000), 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1U);
  auto second = claim("b", 1'000, 2'000);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->attempts, 2);
  Delivery late = *first;
  late.state = "delivered";
  late.delivered_at = from_millis(1'100);
  auto by_a = store_->write_value([&](Writer& w) { return w.finish_delivery(late, "a"); });
  ASSERT_TRUE(by_a);
  EXPECT_FALSE(*by_a);
  Delivery sent = *second;
  sent.state = "sent";
  sent.sent_at = from_millis(1'200);
  auto by_b = store_->write_value([&](Writer& w) { return w.finish_delivery(sent, "b"); });
  ASSERT_TRUE(by_b);
  EXPECT_TRUE(*by_b);
  // Final: never claimed again, so never sent twice.
  EXPECT_FALSE(claim("c", 5'000, 6'000));
  auto rows = store_->read_value([&](Reader& r) { return r.reminder_deliveries("r1"); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1U);
  EXPECT_EQ((*rows)[0].state, "sent");
  EXPECT_EQ((*rows)[0].attempts, 2);
  EXPECT_EQ((*rows)[0].sent_at, from_millis(1'200));
  EXPECT_FALSE((*rows)[0].delivered_at);
  EXPECT_FALSE((*rows)[0].lease_until);
}

TEST_P(StoreContract, AFailedDeliveryWaitsForItsRetryThenDiesAndIsRedriven) {
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    if (auto st = w.upsert_delivery(pending("r1", "webhook", alice_, 10)); !st) return st;
    if (auto st = w.upsert_delivery(pending("r2", "webhook", alice_, 20)); !st) return st;
    return w.upsert_delivery(pending("r3", "webhook:7", bob_, 30));
  }));
  auto finish = [&](const std::string& id, const std::string& channel, const std::string& state,
                    std::int64_t at, std::optional<std::int64_t> retry_at) {
    ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
      auto c = w.claim_delivery(id, channel, "n", from_millis(at), from_millis(at + 100));
      if (!c) return c.error();
      EXPECT_TRUE(*c);
      if (!*c) return {};
      Delivery d = **c;
      d.state = state;
      d.last_error = "HTTP 503";
      if (retry_at) d.next_attempt = from_millis(*retry_at);
      auto f = w.finish_delivery(d, "n");
      if (!f) return f.error();
      EXPECT_TRUE(*f);
      return {};
    }));
  };
  finish("r1", "webhook", "failed", 100, 5'000);
  // Not claimable before its retry is due.
  auto early = store_->write_value([&](Writer& w) {
    return w.claim_delivery("r1", "webhook", "m", from_millis(4'999), from_millis(6'000));
  });
  ASSERT_TRUE(early);
  EXPECT_FALSE(*early);
  // r1 failed and waits for its retry: alice's later r2 waits behind it; bob's channel is apart.
  auto due =
      store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(4'000), 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1U);
  EXPECT_EQ((*due)[0].reminder_id, "r3");
  due = store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(5'000), 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2U);
  EXPECT_EQ((*due)[1].reminder_id, "r1");
  EXPECT_EQ((*due)[1].state, "failed");
  EXPECT_EQ((*due)[1].last_error, "HTTP 503");

  finish("r1", "webhook", "dead", 5'000, std::nullopt);
  finish("r3", "webhook:7", "dead", 100, std::nullopt);
  auto dead = store_->read_value([&](Reader& r) { return r.dead_deliveries(10); });
  ASSERT_TRUE(dead);
  ASSERT_EQ(dead->size(), 2U);
  EXPECT_EQ((*dead)[0].reminder_id, "r1");
  EXPECT_EQ((*dead)[0].attempts, 2);
  EXPECT_EQ((*dead)[0].last_error, "HTTP 503");
  // Dead is final: the next of alice's deliveries goes.
  due = store_->read_value([&](Reader& r) { return r.pending_deliveries(from_millis(5'000), 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1U);
  EXPECT_EQ((*due)[0].reminder_id, "r2");

  // Redriving one, then the rest: pending again, attempts from zero, due at once.
  auto one = store_->write_value([&](Writer& w) {
    return w.redrive_deliveries(std::pair<std::string, std::string>{"r3", "webhook:7"},
                                from_millis(6'000));
  });
  ASSERT_TRUE(one);
  EXPECT_EQ(*one, 1);
  auto none = store_->write_value([&](Writer& w) {
    return w.redrive_deliveries(std::pair<std::string, std::string>{"r2", "webhook"},
                                from_millis(6'000));
  });
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);  // not dead
  auto all =
      store_->write_value([&](Writer& w) { return w.redrive_deliveries({}, from_millis(6'000)); });
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, 1);
  dead = store_->read_value([&](Reader& r) { return r.dead_deliveries(10); });
  ASSERT_TRUE(dead);
  EXPECT_TRUE(dead->empty());
  auto r3 = store_->read_value([&](Reader& r) { return r.reminder_deliveries("r3"); });
  ASSERT_TRUE(r3);
  ASSERT_EQ(r3->size(), 1U);
  EXPECT_EQ((*r3)[0].state, "pending");
  EXPECT_EQ((*r3)[0].attempts, 0);
  EXPECT_EQ((*r3)[0].next_attempt, from_millis(6'000));
}

// The due heads of one channel kind: each user × channel queue offers only its oldest waiting
// delivery, another kind's backlog never stands in front, a finished head hands over to the next
// one, and a redriven older delivery goes back to the front of its queue.
TEST_P(StoreContract, DueHeadsAreReadPerChannelKindOnePerQueue) {
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    // alice's mail backlog, older than everything else.
    for (int i = 0; i < 5; ++i) {
      auto st = w.upsert_delivery(pending("m" + std::to_string(i), "email", alice_, 10 + i));
      if (!st) return st;
    }
    for (const auto& d :
         {pending("w1", "webhook", alice_, 20), pending("w2", "webhook", alice_, 21),
          pending("w3", "webhook:7", alice_, 22), pending("b1", "webhook", bob_, 23),
          pending("b2", "email", bob_, 24)}) {
      if (auto st = w.upsert_delivery(d); !st) return st;
    }
    return {};
  }));
  auto heads = [&](std::string_view kind, std::int64_t at, int limit) {
    auto h = store_->read_value(
        [&](Reader& r) { return r.due_delivery_heads(kind, from_millis(at), limit); });
    EXPECT_TRUE(h) << h.error().message;
    std::vector<std::string> ids;
    if (h) {
      for (const auto& d : *h) ids.push_back(d.reminder_id + "/" + d.channel);
    }
    return ids;
  };
  using Ids = std::vector<std::string>;
  // webhook and webhook:<id> are one kind; a limit of 2 is not taken by the mail backlog.
  EXPECT_EQ(heads("webhook", 100, 10), (Ids{"w1/webhook", "w3/webhook:7", "b1/webhook"}));
  EXPECT_EQ(heads("webhook", 100, 2), (Ids{"w1/webhook", "w3/webhook:7"}));
  EXPECT_EQ(heads("email", 100, 10), (Ids{"m0/email", "b2/email"}));
  EXPECT_EQ(heads("email", 23, 10), (Ids{"m0/email"}));  // b2 is not due yet
  EXPECT_TRUE(heads("webhookx", 100, 10).empty());
  EXPECT_TRUE(heads("push", 100, 10).empty());

  auto finish = [&](const std::string& id, const std::string& channel, const std::string& state,
                    std::int64_t at) {
    ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
      auto c = w.claim_delivery(id, channel, "n", from_millis(at), from_millis(at + 1'000));
      if (!c) return c.error();
      EXPECT_TRUE(*c);
      if (!*c) return {};
      Delivery d = **c;
      d.state = state;
      if (state == "failed") d.next_attempt = from_millis(at + 5'000);
      auto f = w.finish_delivery(d, "n");
      if (!f) return f.error();
      EXPECT_TRUE(*f);
      return {};
    }));
  };
  // Claimed (being attempted): left out; finished: the next of the queue is the head.
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    auto c = w.claim_delivery("m0", "email", "n", from_millis(100), from_millis(1'000));
    if (!c) return c.error();
    EXPECT_TRUE(*c);
    return {};
  }));
  EXPECT_EQ(heads("email", 100, 10), (Ids{"b2/email"}));
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    auto rows = w.reminder_deliveries("m0");
    if (!rows) return rows.error();
    Delivery d = rows->front();
    d.state = "sent";
    d.sent_at = from_millis(110);
    auto f = w.finish_delivery(d, "n");
    if (!f) return f.error();
    EXPECT_TRUE(*f);
    return {};
  }));
  EXPECT_EQ(heads("email", 200, 10), (Ids{"m1/email", "b2/email"}));
  // A failed head waits for its retry, and its queue with it.
  finish("m1", "email", "failed", 200);
  EXPECT_EQ(heads("email", 300, 10), (Ids{"b2/email"}));
  EXPECT_EQ(heads("email", 5'200, 10), (Ids{"b2/email", "m1/email"}));
  // Dead: the next one goes; redriven, the older one is the head again.
  finish("m1", "email", "dead", 5'200);
  EXPECT_EQ(heads("email", 5'300, 10), (Ids{"m2/email", "b2/email"}));
  auto redriven = store_->write_value([&](Writer& w) {
    return w.redrive_deliveries(std::pair<std::string, std::string>{"m1", "email"},
                                from_millis(6'000));
  });
  ASSERT_TRUE(redriven);
  ASSERT_EQ(*redriven, 1);
  EXPECT_EQ(heads("email", 6'000, 10), (Ids{"b2/email", "m1/email"}));
  // A webhook's queue is apart from the user's other webhook's.
  finish("w1", "webhook", "delivered", 300);
  EXPECT_EQ(heads("webhook", 300, 10), (Ids{"w2/webhook", "w3/webhook:7", "b1/webhook"}));
}

TEST_P(StoreContract, ATasksDeliveriesAreItsUsersReceipts) {
  ASSERT_TRUE(store_->write([&](Writer& w) -> core::Status {
    for (const auto& [id, task, user] : {std::tuple{"r1", 5, alice_}, std::tuple{"r2", 5, alice_},
                                         std::tuple{"r3", 6, alice_}, std::tuple{"r4", 5, bob_}}) {
      ReminderRow r;
      r.id = id;
      r.task_id = task;
      r.user_id = user;
      r.title = "Dentist";
      r.remind_at = from_millis(10);
      if (auto st = w.upsert_reminder(r); !st) return st;
    }
    Delivery in_app{"r1",   "in_app",       "delivered", 1, {}, {}, from_millis(11),
                    alice_, from_millis(11)};
    in_app.sent_at = from_millis(11);
    if (auto st = w.upsert_delivery(in_app); !st) return st;
    for (const auto& d :
         {pending("r1", "webhook", alice_, 11), pending("r2", "webhook", alice_, 12),
          pending("r3", "webhook", alice_, 13), pending("r4", "webhook", bob_, 14)}) {
      if (auto st = w.upsert_delivery(d); !st) return st;
    }
    return {};
  }));
  auto of_task = store_->read_value([&](Reader& r) { return r.task_deliveries(alice_, 5, 100); });
  ASSERT_TRUE(of_task);
  ASSERT_EQ(of_task->size(), 3U);
  EXPECT_EQ((*of_task)[0].reminder_id, "r1");
  EXPECT_EQ((*of_task)[0].channel, "in_app");
  EXPECT_EQ((*of_task)[0].sent_at, from_millis(11));
  EXPECT_EQ((*of_task)[1].channel, "webhook");
  EXPECT_EQ((*of_task)[2].reminder_id, "r2");
  // bob's task 5 is not alice's.
  auto bobs = store_->read_value([&](Reader& r) { return r.task_deliveries(bob_, 5, 100); });
  ASSERT_TRUE(bobs);
  ASSERT_EQ(bobs->size(), 1U);
  EXPECT_EQ((*bobs)[0].reminder_id, "r4");
  auto r1 = store_->read_value([&](Reader& r) { return r.reminder_deliveries("r1"); });
  ASSERT_TRUE(r1);
  ASSERT_EQ(r1->size(), 2U);
  EXPECT_EQ((*r1)[0].channel, "in_app");
  EXPECT_EQ((*r1)[1].channel, "webhook");
}

TEST_P(StoreContract, AUserHasSeveralWebhooksTheFirstOfWhichIsSetByPut) {
  // set_webhook: the first one, added when there is none, replaced in place after.
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.set_webhook({alice_, "https://a.example/1", "s1", from_millis(1)});
  }));
  auto second = store_->write_value([&](Writer& w) {
    return w.insert_webhook(
        {alice_, "https://a.example/2", "s2", from_millis(2), 0, {"reminder.fired", "x"}});
  });
  ASSERT_TRUE(second);
  ASSERT_TRUE(store_->write([&](Writer& w) {
    return w.set_webhook({alice_, "https://a.example/1b", "s1b", from_millis(3)});
  }));
  auto hooks = store_->read_value([&](Reader& r) { return r.webhooks(alice_); });
  ASSERT_TRUE(hooks);
  ASSERT_EQ(hooks->size(), 2U);
  EXPECT_EQ((*hooks)[0].url, "https://a.example/1b");
  EXPECT_EQ((*hooks)[0].events, std::vector<std::string>{"reminder.fired"});
  EXPECT_LT((*hooks)[0].id, *second);
  EXPECT_EQ((*hooks)[1].id, *second);
  EXPECT_EQ((*hooks)[1].events, (std::vector<std::string>{"reminder.fired", "x"}));
  auto first = store_->read_value([&](Reader& r) { return r.webhook(alice_); });
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->id, (*hooks)[0].id);

  // Changed and deleted by id, only the user's own.
  store::Webhook changed = (*hooks)[1];
  changed.url = "https://a.example/2b";
  changed.events = {"reminder.fired"};
  changed.user_id = bob_;
  auto not_bobs = store_->write_value([&](Writer& w) { return w.update_webhook(changed); });
  ASSERT_TRUE(not_bobs);
  EXPECT_FALSE(*not_bobs);
  changed.user_id = alice_;
  auto updated = store_->write_value([&](Writer& w) { return w.update_webhook(changed); });
  ASSERT_TRUE(updated);
  EXPECT_TRUE(*updated);
  auto bob_delete =
      store_->write_value([&](Writer& w) { return w.delete_webhook_by_id(bob_, *second); });
  ASSERT_TRUE(bob_delete);
  EXPECT_FALSE(*bob_delete);
  // delete_webhook removes the first: the second is first now.
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_webhook(alice_); }));
  first = store_->read_value([&](Reader& r) { return r.webhook(alice_); });
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->id, *second);
  EXPECT_EQ((*first)->url, "https://a.example/2b");
  auto removed =
      store_->write_value([&](Writer& w) { return w.delete_webhook_by_id(alice_, *second); });
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  hooks = store_->read_value([&](Reader& r) { return r.webhooks(alice_); });
  ASSERT_TRUE(hooks);
  EXPECT_TRUE(hooks->empty());
}

}  // namespace
}  // namespace tickler::store::contract
