#include "services/notifier/notifier_wiring.hpp"

#include <stdexcept>

#include "wire/topics.hpp"

namespace tickler::services::notifier {

std::unique_ptr<WiredNotifier> wire_notifier(const Ports& ports, NotifierSettings settings,
                                             const MakeScheduler& make_scheduler,
                                             std::optional<SweepBindingSettings> sweep_binding) {
  auto wired = std::make_unique<WiredNotifier>(settings, ports.require_store("the notifier"),
                                               ports.offload, ports.on_events);
  auto& notifier = wired->service;
  notifier.register_routes(ports.router);
  wired->scheduler = make_scheduler(ports, wired->firing);
  notifier.set_scheduler(wired->scheduler.get());
  wired->firing.set_scheduler(wired->scheduler.get());
  ports.bus.subscribe_batch(std::string{wire::topic::reminders}, std::string{k_consumer},
                            std::bind_front(&NotifierService::on_reminder_events, &notifier));
  if (sweep_binding) {
    wired->sweep_binding.emplace(std::move(*sweep_binding), notifier, ports.offload);
    wired->sweep_binding->register_routes(ports.router);
  }
  ports.metrics.add_source([&notifier](std::string& out) { notifier.write_metrics(out); });
  ports.lifecycle.on_start([&notifier] {
    if (auto st = notifier.start(); !st) throw std::runtime_error(st.error().message);
  });
  ports.lifecycle.on_stop([&notifier] { notifier.stop(); });
  return wired;
}

}  // namespace tickler::services::notifier
