// Exactly once inside the retention window, with the auditor as the consumer: an event delivered
// again after retention ran has no second effect while its record is younger than the horizon.
// Past the horizon the record is gone and processed_events no longer recognises the event, which
// is why the horizon must lie beyond any redelivery (docs/architecture.md, "Retention").
#include <gtest/gtest.h>

#include "outbox/envelope.hpp"
#include "services/auditor/audit_service.hpp"
#include "services/event_retention.hpp"
#include "store/sqlite/sqlite_test_support.hpp"
#include "wire/task_events.hpp"

namespace tickler::services::auditor {
namespace {

constexpr std::chrono::hours k_day{24};

TEST(AuditRedelivery, AnEventInsideTheRetentionWindowTakesEffectOnce) {
  store::sqlite::ScratchSqlite scratch{"tickler-audit-redelivery"};
  base::Offload offload{1};
  auto& store = *scratch.store;
  auto user = store.write_value([&](store::Writer& w) {
    return w.insert_user({0, "a@example.com", "", "h", core::now()});
  });
  ASSERT_TRUE(user);
  AuditService auditor{store, offload};
  EventRetention retention{
      {.outbox = std::nullopt, .processed_events = 42 * k_day}, store, offload};

  wire::TaskEvent created;
  created.op = wire::TaskOp::created;
  created.task_id = 7;
  created.user_id = user->id;
  created.actor = "user:" + std::to_string(user->id);
  created.timestamp = core::now();
  auto row = outbox::outbox_rows(created, created.timestamp).front();
  row.id = 41;
  const auto event = outbox::to_event(row);
  auto entries = [&] {
    auto history = auditor.history(user->id, 7);
    EXPECT_TRUE(history) << history.error().message;
    return history ? history->size() : 0U;
  };

  ASSERT_EQ(auditor.on_task_event(event).outcome, bus::Outcome::success);
  ASSERT_EQ(entries(), 1U);
  // Retention runs a day later, a week later: the record is inside the window and stays.
  for (auto later : {k_day, 7 * k_day}) {
    auto pruned =
        retention.prune_batch(EventRetention::Table::processed_events, core::now() + later);
    ASSERT_TRUE(pruned);
    EXPECT_EQ(*pruned, 0);
    EXPECT_EQ(auditor.on_task_event(event).outcome, bus::Outcome::success);
    EXPECT_EQ(entries(), 1U) << "a redelivery inside the window took effect again";
  }

  // Past the horizon the record goes: from then on the event is new to processed_events.
  auto pruned =
      retention.prune_batch(EventRetention::Table::processed_events, core::now() + 43 * k_day);
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 1);
}

}  // namespace
}  // namespace tickler::services::auditor
