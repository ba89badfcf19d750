// The Store contract for accounts: token generation and disabled flag, deletion of everything a
// user owns (api, notifier and auditor rows), one-time invites.
#include "store/store_contract_test_support.hpp"

namespace tickler::store::contract {
namespace {

TEST_P(StoreContract, UpdateUserWritesGenerationAndDisabled) {
  auto u = store_->read_value([&](Reader& r) { return r.user_by_id(alice_); });
  ASSERT_TRUE(u && *u);
  EXPECT_EQ((*u)->token_generation, 0);
  EXPECT_FALSE((*u)->disabled);
  auto changed = **u;
  changed.password_hash = "new-hash";
  changed.token_generation = 3;
  changed.disabled = true;
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.update_user(changed); }));
  auto again = store_->read_value([&](Reader& r) { return r.user_by_email("alice@example.com"); });
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->password_hash, "new-hash");
  EXPECT_EQ((*again)->token_generation, 3);
  EXPECT_TRUE((*again)->disabled);

  changed.id = 999'999;
  auto missing = store_->write([&](Writer& w) { return w.update_user(changed); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::Errc::not_found);

  auto all = store_->read_value([&](Reader& r) { return r.users(); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].id, alice_);
  EXPECT_EQ((*all)[1].id, bob_);
}

TEST_P(StoreContract, DeletingAUserLeavesNothingOfTheirsAndEverythingElse) {
  const auto a = add_task(alice_, "alice's", {"x"});
  const auto b = add_task(bob_, "bob's", {"x"});
  const auto t0 = from_millis(1'000'000);
  for (auto [user, task] : {std::pair{alice_, a.id}, std::pair{bob_, b.id}}) {
    const auto rid = "r-" + std::to_string(user);
    ASSERT_TRUE(store_->write([&](Writer& w) -> Status {
      ReminderRow r;
      r.id = rid;
      r.task_id = task;
      r.user_id = user;
      r.title = "t";
      r.remind_at = t0;
      if (auto st = w.upsert_reminder(r); !st) return st;
      NotificationRow n;
      n.user_id = user;
      n.task_id = task;
      n.reminder_id = rid;
      n.title = "t";
      n.remind_at = t0;
      n.fired_at = t0;
      if (auto id = w.insert_notification(n); !id) return id.error();
      if (auto st = w.set_webhook({user, "https://example.com/h", "s", t0}); !st) return st;
      Delivery d;
      d.reminder_id = rid;
      d.channel = "webhook";
      if (auto st = w.upsert_delivery(d); !st) return st;
      AuditEntry e;
      e.event_id = "e-" + std::to_string(user);
      e.user_id = user;
      e.task_id = task;
      e.actor = "user";
      e.type = "tickler.task.created.v1";
      e.changes = "{}";
      e.at = t0;
      e.prev_hash = "0";
      e.hash = "h";
      if (auto id = w.append_audit(e); !id) return id.error();
      return {};
    }));
  }
  // The api's part, then (in the distributed mode, from the user-deleted events) the notifier's
  // and the auditor's; in SQLite the first already did all of it, the others find nothing.
  ASSERT_TRUE(store_->write([&](Writer& w) { return w.delete_user(alice_); }));
  ASSERT_TRUE(store_->write([&](Writer& w) -> Status {
    if (auto st = w.delete_user_notifier_data(alice_); !st) return st;
    return w.delete_user_audit(alice_);
  }));

  ASSERT_TRUE(store_->read([&](Reader& r) -> Status {
    auto gone = r.user_by_id(alice_);
    EXPECT_TRUE(gone && !*gone);
    auto task = r.task(alice_, a.id);
    EXPECT_FALSE(task);
    EXPECT_FALSE(*r.reminder("r-" + std::to_string(alice_)));
    EXPECT_TRUE(r.notifications(alice_, false, 10, std::nullopt)->empty());
    EXPECT_FALSE(*r.webhook(alice_));
    EXPECT_FALSE(*r.audit_head(alice_));
    EXPECT_TRUE(r.audit_history(alice_, a.id)->empty());
    auto tags = r.tag_counts(alice_);
    EXPECT_TRUE(tags && tags->empty());
    // Bob keeps everything.
    EXPECT_TRUE(*r.user_by_id(bob_));
    EXPECT_TRUE(r.task(bob_, b.id));
    EXPECT_TRUE(*r.reminder("r-" + std::to_string(bob_)));
    EXPECT_EQ(r.notifications(bob_, false, 10, std::nullopt)->size(), 1U);
    EXPECT_TRUE(*r.webhook(bob_));
    EXPECT_TRUE(*r.audit_head(bob_));
    EXPECT_EQ(r.audit_history(bob_, b.id)->size(), 1U);
    return {};
  }));
  // The email is free again.
  EXPECT_NE(add_user("alice@example.com"), 0);
}

TEST_P(StoreContract, InvitesAreSingleUseAndExpire) {
  const auto t0 = from_millis(1'000'000);
  ASSERT_TRUE(store_->write([&](Writer& w) -> Status {
    if (auto st = w.insert_invite({"aaa", t0, t0 + std::chrono::hours{1}}); !st) return st;
    return w.insert_invite({"bbb", t0, t0 + std::chrono::hours{1}});
  }));
  auto use = [&](std::string code, core::Instant at) {
    auto r = store_->write_value([&](Writer& w) { return w.use_invite(code, at); });
    EXPECT_TRUE(r) << r.error().message;
    return r && *r;
  };
  EXPECT_FALSE(use("zzz", t0));                            // unknown
  EXPECT_TRUE(use("aaa", t0 + std::chrono::minutes{1}));   // first use
  EXPECT_FALSE(use("aaa", t0 + std::chrono::minutes{2}));  // used
  EXPECT_FALSE(use("bbb", t0 + std::chrono::hours{1}));    // expired
  // A rolled-back sign-up gives the invite back.
  auto failed = store_->write([&](Writer& w) -> Status {
    if (auto r = w.use_invite("bbb", t0); !r || !*r)
      return core::make_error(core::Errc::internal, "x");
    return core::make_error(core::Errc::conflict, "email taken");
  });
  EXPECT_FALSE(failed);
  EXPECT_TRUE(use("bbb", t0));
}

}  // namespace
}  // namespace tickler::store::contract
