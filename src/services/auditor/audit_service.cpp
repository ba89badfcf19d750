#include "services/auditor/audit_service.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <functional>
#include <map>
#include <variant>

#include "auth/digest.hpp"
#include "http/response.hpp"
#include "wire/messages.hpp"

namespace tickler::services::auditor {

std::string entry_hash(const store::AuditEntry& e, std::string_view prev_hash) {
  // Unit separators keep field boundaries unambiguous.
  std::string canonical{prev_hash};
  for (const auto& part :
       {e.event_id, std::to_string(e.user_id), std::to_string(e.task_id), e.actor, e.type,
        e.changes, std::to_string(core::to_millis(e.at)), e.request_id}) {
    canonical += '\x1f';
    canonical += part;
  }
  return auth::sha256_hex(canonical);
}

namespace {

// The audit entry an event records (hashes still empty).
store::AuditEntry to_entry(const bus::Event& event, const wire::TaskEvent& e) {
  store::AuditEntry entry;
  entry.event_id = event.id;
  entry.user_id = e.user_id;
  entry.task_id = e.task_id;
  entry.actor = e.actor;
  entry.type = event.type;
  entry.changes = boost::json::serialize(e.changes);
  entry.at = e.timestamp;
  entry.request_id = e.request_id;
  return entry;
}

// A user's deletion: an entry of user_id with task_id 0, handled apart (the chain goes).
store::AuditEntry to_entry(const bus::Event& event, const wire::UserDeleted& e) {
  store::AuditEntry deletion;
  deletion.event_id = event.id;
  deletion.user_id = e.user_id;
  deletion.type = event.type;
  return deletion;
}

}  // namespace

bus::Verdict AuditService::on_task_event(const bus::Event& event) {
  return on_task_events({event}).front();
}

std::vector<bus::Verdict> AuditService::on_task_events(const std::vector<bus::Event>& events) {
  std::vector<bus::Verdict> verdicts(events.size());
  std::vector<std::pair<std::size_t, store::AuditEntry>> entries;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto message = wire::read_task_events(events[i].type, events[i].data);
    if (!message) {
      verdicts[i] = bus::Verdict::drop(message.error().message);
      continue;
    }
    entries.emplace_back(
        i, std::visit([&](const auto& m) { return to_entry(events[i], m); }, *message));
  }
  // One transaction for the batch: each event once (processed_events), chained in order.
  auto st = store_.write([&](store::Writer& w) -> core::Status {
    for (auto& [i, entry] : entries) {
      auto fresh = w.mark_processed(k_consumer, entry.event_id, core::now());
      if (!fresh) return fresh.error();
      if (!*fresh) continue;  // a redelivery: recorded already
      if (entry.type == wire::UserDeleted::k_type) {
        if (auto d = w.delete_user_audit(entry.user_id); !d) return d;
        continue;
      }
      auto head = w.audit_head(entry.user_id);
      if (!head) return head.error();
      entry.prev_hash = *head ? (*head)->hash : std::string{k_genesis_hash};
      entry.hash = entry_hash(entry, entry.prev_hash);
      if (auto id = w.append_audit(entry); !id) return id.error();
    }
    return {};
  });
  if (!st) return bus::retry_from_first_kept(std::move(verdicts), st.error().message);
  return verdicts;
}

core::Result<std::vector<store::AuditEntry>> AuditService::history(core::UserId user,
                                                                   core::TaskId task) {
  return store_.read_value([&](store::AuditReader& r) { return r.audit_history(user, task); });
}

core::Result<VerifyReport> AuditService::verify() {
  VerifyReport report;
  auto st = store_.read([&](store::AuditReader& r) -> core::Status {
    auto heads = r.audit_heads();
    if (!heads) return heads.error();
    std::map<core::UserId, store::AuditHead> by_user;
    for (auto& h : *heads) by_user.emplace(h.user_id, h);
    std::map<core::UserId, std::pair<std::string, std::int64_t>> seen;  // last hash, count
    auto walk = r.for_each_audit_entry([&](const store::AuditEntry& e) -> core::Status {
      ++report.entries;
      auto [it, first] = seen.try_emplace(e.user_id, std::string{k_genesis_hash}, 0);
      auto& [last_hash, count] = it->second;
      const auto where =
          "entry " + std::to_string(e.id) + " (user " + std::to_string(e.user_id) + ")";
      if (e.prev_hash != last_hash) {
        report.problems.push_back(where +
                                  ": does not follow the previous entry (one was edited, "
                                  "deleted or inserted before it)");
      }
      if (entry_hash(e, e.prev_hash) != e.hash) {
        report.problems.push_back(where + ": content does not match its hash (edited)");
      }
      last_hash = e.hash;
      ++count;
      return {};
    });
    if (!walk) return walk;
    report.users = static_cast<std::int64_t>(seen.size());
    for (const auto& [user, head] : by_user) {
      auto it = seen.find(user);
      const auto count = it == seen.end() ? 0 : it->second.second;
      const auto last = it == seen.end() ? std::string{} : it->second.first;
      if (count != head.entries || last != head.hash) {
        report.problems.push_back("user " + std::to_string(user) + ": the chain has " +
                                  std::to_string(count) + " entries, its head records " +
                                  std::to_string(head.entries) + " (entries were deleted)");
      }
    }
    for (const auto& [user, state] : seen) {
      if (!by_user.contains(user)) {
        report.problems.push_back("user " + std::to_string(user) +
                                  ": entries without a chain head");
      }
    }
    return {};
  });
  if (!st) return st.error();
  return report;
}

void AuditService::register_routes(http::Router& router) {
  router.add(http::beast_http::verb::get, "/api/tasks/{id}/history", http::Access::tasks_read,
             std::bind_front(&AuditService::history_handler, this));
}

http::net::awaitable<http::Response> AuditService::history_handler(http::RequestContext& ctx) {
  core::TaskId task = 0;
  const auto& raw = ctx.path_params.at("id");
  const auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), task);
  if (ec != std::errc{} || ptr != raw.data() + raw.size() || task <= 0) {
    co_return http::error_response(core::make_error(core::Errc::not_found, "task not found"));
  }
  auto entries = co_await offload_.call(&AuditService::history, this, *ctx.user_id, task);
  if (!entries) co_return http::error_response(entries.error());
  if (entries->empty()) {
    co_return http::error_response(
        core::make_error(core::Errc::not_found, "no history for this task"));
  }
  boost::json::array items;
  for (const auto& e : *entries) {
    boost::system::error_code pec;
    auto changes = boost::json::parse(e.changes, pec);
    items.push_back(
        boost::json::object{{"id", e.id},
                            {"event_id", e.event_id},
                            {"type", e.type},
                            {"actor", e.actor},
                            {"at", core::format_rfc3339(e.at)},
                            {"changes", pec ? boost::json::value{} : std::move(changes)},
                            {"request_id", e.request_id},
                            {"hash", e.hash}});
  }
  co_return http::json_response(http::beast_http::status::ok,
                                boost::json::object{{"items", std::move(items)}});
}

}  // namespace tickler::services::auditor
