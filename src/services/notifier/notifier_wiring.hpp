#pragma once
// The notifier wired into a process: its routes, its batch subscription to reminders (consumer
// "notifier"), its scheduler behind a ReminderPager, its metric sources, its start (the pager
// pages in, the notifier sweeps: both in the background) and stop, and in distributed mode the
// cron binding's sweep route. tickler serve and tickler
// notifier call the same wire_notifier; they differ in the scheduler app/ builds.
#include <functional>
#include <memory>
#include <optional>

#include "bus/scheduler.hpp"
#include "services/notifier/job_firing.hpp"
#include "services/notifier/notifier_service.hpp"
#include "services/notifier/reminder_pager.hpp"
#include "services/notifier/sweep_binding.hpp"
#include "services/ports.hpp"

namespace tickler::services::notifier {

// Builds the process's Scheduler around the notifier's job firing, with what it needs wired
// (app/ chooses: the in-process timer queue with JobFiring::fire, its thread started and stopped
// through the lifecycle; the Dapr Jobs API with JobFiring::fire_checked and its /job route).
using MakeScheduler = std::function<std::unique_ptr<bus::Scheduler>(const Ports&, JobFiring&)>;

// What wire_notifier built; destroyed pager first, then the scheduler.
struct WiredNotifier {
  WiredNotifier(NotifierSettings settings, store::Store& store, base::Offload& offload,
                std::function<void()> on_events)
      : email(settings.email, store, offload),
        push(settings.push, store, offload),
        ntfy(settings.ntfy, store, offload),
        service(settings, store, offload, std::move(on_events)),
        firing(service, store) {}
  // /api/me/channels/email, the confirmation links, reminder mails (the service's email
  // channel sends through it, so it outlives the service).
  EmailService email;
  // /api/me/channels/push*, the VAPID key, Web Push messages (the push channel sends through it).
  PushService push;
  // /api/me/channels/ntfy, ntfy publishes (the ntfy channel sends through it).
  NtfyService ntfy;
  NotifierService service;
  JobFiring firing;
  std::optional<SweepBinding> sweep_binding;
  std::unique_ptr<bus::Scheduler> scheduler;
  std::optional<ReminderPager> pager;  // in front of scheduler: what the notifier schedules with
};

[[nodiscard]] std::unique_ptr<WiredNotifier> wire_notifier(
    const Ports& ports, NotifierSettings settings, const MakeScheduler& make_scheduler,
    std::optional<SweepBindingSettings> sweep_binding = std::nullopt);

}  // namespace tickler::services::notifier
