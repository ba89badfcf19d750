#include "services/notifier/notifier_wiring.hpp"

#include <stdexcept>

#include "services/notifier/email_channel.hpp"
#include "services/notifier/ntfy_channel.hpp"
#include "services/notifier/push_channel.hpp"
#include "wire/topics.hpp"

namespace tickler::services::notifier {

std::unique_ptr<WiredNotifier> wire_notifier(const Ports& ports, NotifierSettings settings,
                                             const MakeScheduler& make_scheduler,
                                             std::optional<SweepBindingSettings> sweep_binding) {
  auto wired = std::make_unique<WiredNotifier>(settings, ports.require_store("the notifier"),
                                               ports.offload, ports.on_events);
  auto& notifier = wired->service;
  notifier.register_routes(ports.router);
  wired->email.register_routes(ports.router);
  notifier.add_channel(std::make_unique<EmailChannel>(wired->email));
  wired->push.register_routes(ports.router);
  notifier.add_channel(std::make_unique<PushChannel>(wired->push));
  wired->ntfy.register_routes(ports.router);
  notifier.add_channel(std::make_unique<NtfyChannel>(wired->ntfy));
  wired->scheduler = make_scheduler(ports, wired->firing);
  auto& pager =
      wired->pager.emplace(settings.pager, ports.require_store("the notifier"), *wired->scheduler);
  notifier.set_scheduler(&pager);
  wired->firing.set_scheduler(&pager);
  ports.bus.subscribe_batch(std::string{wire::topic::reminders}, std::string{k_consumer},
                            std::bind_front(&NotifierService::on_reminder_events, &notifier));
  // Webhooks may select task events besides reminders.
  ports.bus.subscribe_batch(std::string{wire::topic::task_events}, std::string{k_consumer},
                            std::bind_front(&NotifierService::on_task_events, &notifier));
  if (sweep_binding) {
    wired->sweep_binding.emplace(std::move(*sweep_binding), notifier, ports.offload);
    wired->sweep_binding->register_routes(ports.router);
  }
  ports.metrics.add_source([&notifier](std::string& out) { notifier.write_metrics(out); });
  ports.metrics.add_source([&pager](std::string& out) { pager.write_metrics(out); });
  // The VAPID key is loaded (or made and kept) before the first reminder's records are made.
  ports.lifecycle.on_start([&push = wired->push] {
    if (auto st = push.start(); !st) throw std::runtime_error("web push: " + st.error().message);
  });
  ports.lifecycle.on_start([&notifier] {
    if (auto st = notifier.start(); !st) throw std::runtime_error(st.error().message);
  });
  ports.lifecycle.on_start([&pager] { pager.start(); });
  ports.lifecycle.on_stop([&notifier] { notifier.stop(); });
  ports.lifecycle.on_stop([&pager] { pager.stop(); });
  return wired;
}

}  // namespace tickler::services::notifier
