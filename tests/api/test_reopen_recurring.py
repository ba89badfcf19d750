"""Reopening a completed occurrence of a recurring task takes back the next occurrence its
completion made, when nobody touched it (one transaction, with its own deleted event and audit
entry); a next occurrence changed or completed since is kept, and the answer says which."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from helpers import assert_task_response, describe, unique_word, wait_until



def series_tasks(api, word: str) -> list[dict]:
    resp = api.get("/api/tasks", params={"q": word, "status": "all", "limit": "200"})
    assert resp.status_code == 200, describe(resp)
    return sorted(resp.json()["items"], key=lambda t: t["occurrence_index"])


def history_types(api, task_id: int) -> list[str]:
    resp = api.get(f"/api/tasks/{task_id}/history")
    if resp.status_code == 404:
        return []
    assert resp.status_code == 200, describe(resp)
    return [e["type"] for e in resp.json()["items"]]


def daily_task(api) -> tuple[dict, str]:
    word = unique_word("reopen")
    due = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0)
    resp = api.post("/api/tasks", json={
        "title": f"Water the plants {word}", "due_at": due.isoformat().replace("+00:00", "Z"),
        "time_zone": "Europe/Berlin", "reminders": [{"before_minutes": 30}],
        "recurrence": {"rrule": "FREQ=DAILY", "mode": "schedule"}})
    task = assert_task_response(resp, 201)
    return task, word


def complete_and_wait_next(api, task: dict, word: str) -> dict:
    assert_task_response(api.post(f"/api/tasks/{task['id']}/complete"))
    found = wait_until(lambda: [t for t in series_tasks(api, word)
                                if t["occurrence_index"] > task["occurrence_index"]],
                       "the next occurrence")
    assert len(found) == 1, found
    return found[0]


def test_reopen_retracts_the_untouched_next_occurrence(api, user):
    first, word = daily_task(api)
    nxt = complete_and_wait_next(api, first, word)

    resp = api.post(f"/api/tasks/{first['id']}/reopen")
    reopened = assert_task_response(resp)
    assert reopened["status"] == "pending" and reopened["completed_at"] is None, reopened
    assert reopened["retracted_occurrence_id"] == nxt["id"], reopened
    assert "kept_occurrence_id" not in reopened, reopened
    # The reopened task itself is unchanged apart from the reopen: GET shows it without the note.
    got = assert_task_response(api.get(f"/api/tasks/{first['id']}"))
    assert got == {k: v for k, v in reopened.items() if k != "retracted_occurrence_id"}, got

    resp = api.get(f"/api/tasks/{nxt['id']}")
    assert resp.status_code == 404, describe(resp)
    assert [t["id"] for t in series_tasks(api, word)] == [first["id"]]

    # Its own deleted event, by the user who reopened, is in its history.
    created, deleted = "tickler.task.created.v1", "tickler.task.deleted.v1"
    wait_until(lambda: history_types(api, nxt["id"]) == [created, deleted], "the retraction's history")
    entries = api.get(f"/api/tasks/{nxt['id']}/history").json()["items"]
    assert entries[1]["actor"] == f"user:{user.id}", entries

    # Reopening again changes nothing and retracts nothing.
    again = assert_task_response(api.post(f"/api/tasks/{first['id']}/reopen"))
    assert again == got, again


def test_complete_reopen_complete_leaves_exactly_one_open_next_occurrence(api):
    first, word = daily_task(api)
    nxt = complete_and_wait_next(api, first, word)
    assert assert_task_response(api.post(f"/api/tasks/{first['id']}/reopen"))["retracted_occurrence_id"] == nxt["id"]

    again = complete_and_wait_next(api, first, word)
    assert again["id"] != nxt["id"]
    for key in ("occurrence_index", "due_at", "title", "series_id", "reminders"):
        assert again[key] == nxt[key], (key, again, nxt)
    time.sleep(0.5)  # nothing else shows up
    tasks = series_tasks(api, word)
    assert [t["id"] for t in tasks] == [first["id"], again["id"]], tasks
    assert [t["status"] for t in tasks] == ["completed", "pending"], tasks


def test_reopen_keeps_a_next_occurrence_changed_since_and_says_so(api):
    first, word = daily_task(api)
    nxt = complete_and_wait_next(api, first, word)
    edited = assert_task_response(api.patch(f"/api/tasks/{nxt['id']}", json={"priority": "high"}))

    reopened = assert_task_response(api.post(f"/api/tasks/{first['id']}/reopen"))
    assert reopened["status"] == "pending", reopened
    assert reopened["kept_occurrence_id"] == nxt["id"], reopened
    assert reopened["kept_occurrence_reason"] == "changed", reopened
    assert "retracted_occurrence_id" not in reopened, reopened
    assert assert_task_response(api.get(f"/api/tasks/{nxt['id']}")) == edited
    assert [t["id"] for t in series_tasks(api, word)] == [first["id"], nxt["id"]]


def test_reopen_keeps_a_next_occurrence_completed_since(api):
    first, word = daily_task(api)
    nxt = complete_and_wait_next(api, first, word)
    third = complete_and_wait_next(api, nxt, word)

    reopened = assert_task_response(api.post(f"/api/tasks/{first['id']}/reopen"))
    assert reopened["kept_occurrence_id"] == nxt["id"], reopened
    assert reopened["kept_occurrence_reason"] == "completed", reopened
    assert [t["id"] for t in series_tasks(api, word)] == [first["id"], nxt["id"], third["id"]]

    # The latest completed one reopened: its untouched successor goes.
    reopened = assert_task_response(api.post(f"/api/tasks/{nxt['id']}/reopen"))
    assert reopened["retracted_occurrence_id"] == third["id"], reopened
    assert [t["id"] for t in series_tasks(api, word)] == [first["id"], nxt["id"]]


def test_reopen_of_a_task_without_repeat_has_no_occurrence_fields(api):
    resp = api.post("/api/tasks", json={"title": "Once only"})
    task = assert_task_response(resp, 201)
    assert_task_response(api.post(f"/api/tasks/{task['id']}/complete"))
    reopened = assert_task_response(api.post(f"/api/tasks/{task['id']}/reopen"))
    assert not {"retracted_occurrence_id", "kept_occurrence_id", "kept_occurrence_reason"} & set(reopened)
