// Maintenance commands: dead letters (list, redrive) and the audit chain check. They print
// plain text for people and exit non-zero when something is wrong.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "app/bootstrap.hpp"
#include "app/roles.hpp"
#include "base/offload.hpp"
#include "services/auditor/audit_service.hpp"

namespace tickler::app {

namespace {

// Maintenance commands refuse a data directory without a database instead of creating an empty
// one (which would report "nothing wrong" for a mistyped path).
bool has_database(const ToolConfig& config, std::string_view command) {
  if (std::filesystem::exists(std::filesystem::path{config.data_dir} / "tickler.db")) return true;
  std::cerr << command << ": no Tickler database in " << config.data_dir << "\n";
  return false;
}

}  // namespace

int run_dlq_list(const ToolConfig& config) {
  init_process("warn");
  if (!has_database(config, "dlq list")) return 2;
  auto store = open_store(config.data_dir, 1);
  auto letters =
      store->read_value([&](store::Reader& r) { return r.dead_letters(config.all, 1000); });
  if (!letters) {
    std::cerr << "dlq list: " << letters.error().message << "\n";
    return 1;
  }
  std::cout << letters->size() << " dead letter(s)" << (config.all ? "" : " waiting") << "\n";
  for (const auto& d : *letters) {
    std::cout << "#" << d.id << "  event " << d.event.cloud_event_id() << "  " << d.event.type
              << "  subscriber " << d.subscriber << "  at " << core::format_rfc3339(d.created_at)
              << (d.redriven_at ? "  redriven " + core::format_rfc3339(*d.redriven_at) : "")
              << "\n    error: " << d.error << "\n    data: " << d.event.data << "\n";
  }
  return 0;
}

int run_dlq_redrive(const ToolConfig& config) {
  init_process("warn");
  if (!config.all && !config.id) {
    std::cerr << "dlq redrive: give a dead letter id or --all\n";
    return 2;
  }
  if (!has_database(config, "dlq redrive")) return 2;
  auto store = open_store(config.data_dir, 1);
  const auto now = core::now();
  const std::chrono::seconds retention{config.retention.processed_events_seconds};
  const auto horizon = now - retention;
  auto done = store->write_value(
      [&](store::Writer& w) { return w.redrive_dead_letters(config.id, now, horizon); });
  if (!done) {
    std::cerr << "dlq redrive: " << done.error().message << "\n";
    return 1;
  }
  // A consumer forgets the events it processed before the horizon (processed_events is pruned
  // past it), so it could apply such a letter's event a second time.
  const auto why = "dead-lettered before " + core::format_rfc3339(horizon) +
                   ", now minus the processed-events retention of " +
                   std::to_string(retention.count()) +
                   " s (--processed-events-retention, TICKLER_PROCESSED_EVENTS_RETENTION): its "
                   "consumer may have forgotten whether it processed the event, and could apply "
                   "it twice";
  if (config.id && done->too_old > 0) {
    std::cerr << "dlq redrive: refused: dead letter #" << *config.id << " was " << why << "\n";
    return 1;
  }
  if (done->redriven == 0 && config.id) {
    std::cerr << "dlq redrive: no dead letter #" << *config.id << " waiting\n";
    return 1;
  }
  std::cout << "redriven: " << done->redriven
            << " (the running server delivers them within a second)\n";
  if (done->too_old > 0) {
    std::cerr << "dlq redrive: skipped " << done->too_old << " dead letter(s) " << why
              << "; they stay listed by tickler dlq list\n";
  }
  return 0;
}

int run_audit_verify(const ToolConfig& config) {
  init_process("warn");
  if (!has_database(config, "audit verify")) return 2;
  auto store = open_store(config.data_dir, 1);
  base::Offload unused{1};
  services::auditor::AuditService auditor{*store, unused};
  auto report = auditor.verify();
  if (!report) {
    std::cerr << "audit verify: " << report.error().message << "\n";
    return 1;
  }
  std::cout << report->entries << " entries in " << report->users
            << " chain(s): " << (report->problems.empty() ? "intact" : "TAMPERED") << "\n";
  for (const auto& p : report->problems) std::cout << "  " << p << "\n";
  return report->problems.empty() ? 0 : 1;
}

}  // namespace tickler::app
