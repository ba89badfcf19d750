#include "services/recurrer/recurrer_service.hpp"

#include "core/recurrence.hpp"
#include "wire/messages.hpp"

namespace tickler::services::recurrer {

bus::Verdict RecurrerService::on_task_event(const bus::Event& event) {
  if (event.type != wire::task_event_type(wire::TaskOp::completed)) return bus::Verdict::ok();
  auto message = wire::read_task_events(event.type, event.data);
  if (!message) return bus::Verdict::drop(message.error().message);
  auto task = std::get<wire::TaskEvent>(*message).task();
  if (!task) return bus::Verdict::drop(task.error().message);
  if (!task->recurrence) return bus::Verdict::ok();
  if (!task->due_at || !task->series_id || !task->series_start || !task->completed_at) {
    return bus::Verdict::drop("recurring task without due_at, series or completed_at");
  }
  // "Now" is the completion time, not the time of processing: a redelivery computes the same
  // occurrence however late it arrives.
  auto next = core::next_occurrence(*task->recurrence, task->time_zone,
                                    {*task->series_start, *task->due_at, task->occurrence_index},
                                    *task->completed_at, *task->completed_at);
  if (!next) return bus::Verdict::drop("recurrence: " + next.error().message);
  if (!*next) return bus::Verdict::ok();  // the series has ended (COUNT / UNTIL)
  const core::OccurrenceRequest request{task->user_id,    task->id,       task->occurrence_index,
                                        *task->series_id, (*next)->index, (*next)->due};
  auto created = create_(request);
  if (created) return bus::Verdict::ok();
  switch (created.error().code) {
    case core::Errc::not_found:
      return bus::Verdict::ok();  // deleted: the series ended
    case core::Errc::validation_failed:
      return bus::Verdict::drop(created.error().message);
    default:
      return bus::Verdict::retry(created.error().message);
  }
}

}  // namespace tickler::services::recurrer
