#pragma once
// The auditor role: consumes task-events into an append-only log with a per-user SHA-256 hash
// chain (each entry's hash covers the previous entry's hash), serves a task's history and
// verifies the chains. Each event is recorded exactly once (processed_events, same transaction).
#include <string>
#include <vector>

#include "base/offload.hpp"
#include "bus/bus.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace tickler::services::auditor {

inline constexpr std::string_view k_consumer = "auditor";
inline constexpr std::string_view k_genesis_hash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The hash of an entry given the previous one's: SHA-256 over prev_hash and every field.
[[nodiscard]] std::string entry_hash(const store::AuditEntry& entry, std::string_view prev_hash);

struct VerifyReport {
  std::int64_t entries = 0;
  std::int64_t users = 0;
  std::vector<std::string> problems;  // empty: every chain is intact
};

class AuditService {
 public:
  AuditService(store::Store& store, base::Offload& offload) : store_(store), offload_(offload) {}

  // Subscriber of task-events. DROP for an event that is not a task event.
  bus::Verdict on_task_event(const bus::Event& event);
  // The same for a run of events, recorded in one transaction.
  std::vector<bus::Verdict> on_task_events(const std::vector<bus::Event>& events);
  core::Result<std::vector<store::AuditEntry>> history(core::UserId user, core::TaskId task);
  core::Result<VerifyReport> verify();
  // GET /api/tasks/{id}/history
  void register_routes(http::Router& router);

 private:
  http::net::awaitable<http::Response> history_handler(http::RequestContext& ctx);
  store::Store& store_;
  base::Offload& offload_;
};

}  // namespace tickler::services::auditor
