"""A reminder fires once, never before its time: over the WebSocket within 1 s after remind_at,
then as an in-app notification that can be marked read (by its owner only)."""

from __future__ import annotations

import pytest

from e2e_support import (WsClient, assert_still_before, assert_stays, iso_ms, now_ms, parse_ms, wait_history,
                         wait_until, ws_url)
from helpers import assert_error, create_task, describe, unique_word

CLOCK_GRANULARITY_MS = 5  # an arrival this much before remind_at is still "not early"
MAX_LATENESS_MS = 1000
LEAD_MS = 3000  # the reminder is set this far ahead


def reminder_at(remind_ms: int) -> dict:
    return {"reminders": [{"at": iso_ms(remind_ms)}]}


def reminder_before_due(remind_ms: int) -> dict:
    return {"due_at": iso_ms(remind_ms + 60_000), "reminders": [{"before_minutes": 1}]}


@pytest.mark.parametrize("shape", [reminder_at, reminder_before_due], ids=["at", "before_minutes"])
def test_reminder_fires_over_websocket_on_time_then_is_listed(server, make_user, shape):
    owner = make_user()
    client = WsClient(ws_url(server.base_url, owner.token))
    try:
        assert client.hello()["type"] == "hello"
        remind_ms = now_ms() + LEAD_MS
        title = "Call the dentist " + unique_word()
        task = create_task(owner.api, title=title, **shape(remind_ms))

        # Nothing is notified before remind_at.
        resp = owner.api.get("/api/notifications")
        assert resp.status_code == 200 and resp.json()["items"] == [], describe(resp)

        at, msg = client.wait_for(
            lambda m: m.get("type") == "notification" and m["notification"].get("task_id") == task["id"],
            timeout=(remind_ms - now_ms() + MAX_LATENESS_MS) / 1000 + 2, what="the notification")
    finally:
        client.close()

    assert at >= remind_ms - CLOCK_GRANULARITY_MS, \
        f"the notification arrived {remind_ms - at:.1f} ms before remind_at {iso_ms(remind_ms)}: {msg}"
    assert at <= remind_ms + MAX_LATENESS_MS, \
        f"the notification arrived {at - remind_ms:.1f} ms after remind_at {iso_ms(remind_ms)}: {msg}"
    assert isinstance(msg.get("sequence"), int), msg
    assert msg["notification"].get("remind_at") == iso_ms(remind_ms), msg

    # The same notification, in-app.
    resp = owner.api.get("/api/notifications")
    assert resp.status_code == 200, describe(resp)
    items = resp.json()["items"]
    assert len(items) == 1, describe(resp)
    note = items[0]
    assert {"id", "task_id", "reminder_id", "title", "remind_at", "fired_at", "read_at"} <= set(note), note
    assert note["task_id"] == task["id"] and note["title"] == title, note
    assert note["remind_at"] == iso_ms(remind_ms), note
    assert parse_ms(note["fired_at"]) >= remind_ms, f"fired before remind_at: {note}"
    assert note["read_at"] is None, note
    if "reminder_id" in msg["notification"]:
        assert msg["notification"]["reminder_id"] == note["reminder_id"], (msg, note)

    # Another user can neither see it nor mark it read.
    stranger = make_user()
    resp = stranger.api.get("/api/notifications")
    assert resp.status_code == 200 and resp.json()["items"] == [], describe(resp)
    assert_error(stranger.api.post(f"/api/notifications/{note['id']}/read"), 404, "not_found")

    resp = owner.api.post(f"/api/notifications/{note['id']}/read")
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"id": note["id"], "read": True}, describe(resp)
    resp = owner.api.get("/api/notifications", params={"unread": "true"})
    assert resp.status_code == 200 and resp.json()["items"] == [], describe(resp)
    resp = owner.api.get("/api/notifications")
    (after,) = resp.json()["items"]
    assert after["id"] == note["id"] and after["read_at"] is not None, describe(resp)
    assert parse_ms(after["read_at"]) >= parse_ms(note["fired_at"]), after


def test_reminder_fires_exactly_once(server, make_user):
    """After it fired, the reminder stays one notification (no second firing, no duplicate)."""
    owner = make_user()
    remind_ms = now_ms() + 1000
    task = create_task(owner.api, **reminder_at(remind_ms))

    def listed():
        resp = owner.api.get("/api/notifications")
        assert resp.status_code == 200, describe(resp)
        return resp.json()["items"]

    items = wait_until(listed, timeout=(remind_ms - now_ms()) / 1000 + 5, what="the notification")
    assert [n["task_id"] for n in items] == [task["id"]], items
    # Completing and reopening the task re-plans its reminders; a past one must not fire again.
    assert owner.api.post(f"/api/tasks/{task['id']}/complete").status_code == 200
    resp = owner.api.post(f"/api/tasks/{task['id']}/reopen")
    assert resp.status_code == 200, describe(resp)
    wait_history(owner.api, task["id"], ["tickler.task.created.v1", "tickler.task.completed.v1",
                                         "tickler.task.reopened.v1"])
    assert_stays(lambda: len(listed()) == 1, 1.0, what="exactly one notification")


def notifications(api) -> list[dict]:
    resp = api.get("/api/notifications", params={"limit": "200"})
    assert resp.status_code == 200, describe(resp)
    return resp.json()["items"]


def test_a_reminder_moved_later_fires_only_at_its_new_time(server, make_user):
    owner = make_user()
    client = WsClient(ws_url(server.base_url, owner.token))
    try:
        client.hello()
        old_ms = now_ms() + 1500
        new_ms = old_ms + 2000
        task = create_task(owner.api, reminders=[{"at": iso_ms(old_ms)}])
        resp = owner.api.patch(f"/api/tasks/{task['id']}", json={"reminders": [{"at": iso_ms(new_ms)}]})
        assert resp.status_code == 200, describe(resp)
        assert_still_before(old_ms - 100, "moving the reminder")
        at, msg = client.wait_for(lambda m: m.get("type") == "notification", timeout=6, what="the notification")
    finally:
        client.close()
    assert at >= new_ms - CLOCK_GRANULARITY_MS, f"fired {new_ms - at:.0f} ms before its new time: {msg}"
    assert [n["remind_at"] for n in notifications(owner.api)] == [iso_ms(new_ms)]


def test_cancelled_and_past_reminders_do_not_fire(server, make_user):
    owner = make_user()
    remind_ms = now_ms() + 1500
    completed = create_task(owner.api, title="completed", reminders=[{"at": iso_ms(remind_ms)}])
    deleted = create_task(owner.api, title="deleted", reminders=[{"at": iso_ms(remind_ms)}])
    cleared = create_task(owner.api, title="cleared", reminders=[{"at": iso_ms(remind_ms)}])
    past = create_task(owner.api, title="past", reminders=[{"at": iso_ms(now_ms() - 60_000)}],
                       due_at=iso_ms(now_ms() + 60_000))
    past_before = create_task(owner.api, title="past before due", due_at=iso_ms(now_ms() + 30_000),
                              reminders=[{"before_minutes": 1}])
    control = create_task(owner.api, title="control", reminders=[{"at": iso_ms(remind_ms + 200)}])
    assert owner.api.post(f"/api/tasks/{completed['id']}/complete").status_code == 200
    assert owner.api.delete(f"/api/tasks/{deleted['id']}").status_code == 204
    assert owner.api.patch(f"/api/tasks/{cleared['id']}", json={"reminders": []}).status_code == 200
    assert_still_before(remind_ms - 100, "completing, deleting and clearing")

    # The control fires after the others were due: had they been left scheduled, they would be in.
    items = wait_until(lambda: notifications(owner.api), timeout=(remind_ms - now_ms()) / 1000 + 5,
                       what="the control task's notification")
    assert_stays(lambda: [n["task_id"] for n in notifications(owner.api)] == [control["id"]], 1.0,
                 what="only the control task notified")
    assert items[0]["task_id"] == control["id"], (items, completed, deleted, cleared, past, past_before)


def test_notifications_are_paged_newest_first(server, make_user):
    owner = make_user()
    base = now_ms() + 1000
    task = create_task(owner.api, reminders=[{"at": iso_ms(base + 100 * i)} for i in range(5)])
    wait_until(lambda: len(notifications(owner.api)) == 5, timeout=7, what="5 notifications")
    everything = notifications(owner.api)
    assert [n["remind_at"] for n in everything] == [iso_ms(base + 100 * i) for i in reversed(range(5))], everything
    ids = [n["id"] for n in everything]
    assert ids == sorted(ids, reverse=True) and {n["task_id"] for n in everything} == {task["id"]}

    pages, before = [], None
    for _ in range(5):
        resp = owner.api.get("/api/notifications", params={"limit": "2", **({"before": before} if before else {})})
        assert resp.status_code == 200, describe(resp)
        body = resp.json()
        pages.append([n["id"] for n in body["items"]])
        before = body["next_before"]
        if before is None:
            break
    assert [i for page in pages for i in page] == ids, pages
    assert all(len(p) <= 2 for p in pages), pages
    resp = owner.api.get("/api/notifications", params={"limit": "0"})
    assert resp.status_code == 400, describe(resp)
