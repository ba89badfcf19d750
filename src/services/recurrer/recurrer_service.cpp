#include "services/recurrer/recurrer_service.hpp"

#include <boost/json.hpp>

#include "core/recurrence.hpp"
#include "wire/task_json.hpp"

namespace tickler::services::recurrer {

bus::Verdict RecurrerService::on_task_event(const bus::Event& event) {
  if (event.type != "tickler.task.completed.v1") return bus::Verdict::ok();
  boost::system::error_code ec;
  auto data = boost::json::parse(event.data, ec);
  if (ec || !data.is_object()) return bus::Verdict::drop("event data is not a JSON object");
  const auto* task_json = data.as_object().if_contains("task_data");
  if (!task_json || !task_json->is_object()) return bus::Verdict::drop("event without task_data");
  auto task = wire::task_from_json(task_json->as_object());
  if (!task) return bus::Verdict::drop("task_data: " + task.error().message);
  if (!task->recurrence) return bus::Verdict::ok();
  // The task's JSON is its public form, without the owner: the event carries it.
  const auto* user = data.as_object().if_contains("user_id");
  if (!user || !user->is_int64()) return bus::Verdict::drop("event without user_id");
  task->user_id = user->as_int64();
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
