"""POST /api/tasks/{id}/snooze {until}: a one-off reminder at an absolute instant, added to the task's
reminders through the normal update path (a new version; the reminders topic schedules it)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from helpers import assert_error, assert_task_response, assert_validation, create_task


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_snooze_adds_a_reminder_at_until(api):
    task = create_task(api, title="Snooze me")
    until = datetime.now(timezone.utc) + timedelta(hours=2)
    snoozed = assert_task_response(api.post(f"/api/tasks/{task['id']}/snooze", json={"until": iso(until)}))
    assert snoozed["reminders"] == [{"at": iso(until)}], snoozed["reminders"]
    assert snoozed["version"] == task["version"] + 1
    # The same instant again changes nothing.
    again = assert_task_response(api.post(f"/api/tasks/{task['id']}/snooze", json={"until": iso(until)}))
    assert again["version"] == snoozed["version"] and len(again["reminders"]) == 1


def test_snooze_refuses_the_past_bad_bodies_completed_and_foreign_tasks(api, make_user):
    task = create_task(api, title="Not in the past")
    past = datetime.now(timezone.utc) - timedelta(minutes=1)
    assert_validation(api.post(f"/api/tasks/{task['id']}/snooze", json={"until": iso(past)}), "until")
    assert_validation(api.post(f"/api/tasks/{task['id']}/snooze", json={"until": "tomorrow"}), "until")
    assert_validation(api.post(f"/api/tasks/{task['id']}/snooze", json={}), "until")
    assert_error(api.post(f"/api/tasks/{task['id']}/snooze", json={"until": iso(past), "x": 1}), 422)
    future = iso(datetime.now(timezone.utc) + timedelta(hours=1))
    assert_error(make_user().api.post(f"/api/tasks/{task['id']}/snooze", json={"until": future}), 404)
    assert api.post(f"/api/tasks/{task['id']}/complete").status_code == 200
    assert_error(api.post(f"/api/tasks/{task['id']}/snooze", json={"until": future}), 409, "task_not_pending")
