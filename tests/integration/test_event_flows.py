"""The event flows of Tickler across processes, through real daprd sidecars, Kafka and PostgreSQL:
a change reaches the audit log, a reminder fires through the Jobs API onto the WebSocket (never
early), completing a recurring task makes exactly one next occurrence, and every realtime replica
receives every update."""

from __future__ import annotations

import re

from e2e_support import WsClient, assert_stays, iso_ms, now_ms, wait_until, ws_url
from flows import EVENT_WAIT, wait_audit
from helpers import Api, create_task, describe, unique_word

CLOCK_GRANULARITY_MS = 5
MAX_LATENESS_MS = 2000


def test_a_created_task_reaches_the_audit_log(stack, user):
    task = create_task(user.api, title="Audit me " + unique_word())
    wait_audit(stack, user.token, task["id"], ["tickler.task.created.v1"])
    user.api.post(f"/api/tasks/{task['id']}/complete")
    wait_audit(stack, user.token, task["id"], ["tickler.task.created.v1", "tickler.task.completed.v1"])
    # The auditor counts what its sidecar delivered, by verdict.
    text = Api(stack.services["auditor"].url).get("/metrics").text
    handled = re.search(r'^tickler_events_handled_total\{topic="task-events",subscriber="auditor",'
                        r'outcome="success"\} (\d+)$', text, re.M)
    assert handled and int(handled.group(1)) >= 2, text


def test_reminder_fires_through_the_jobs_api_onto_the_websocket_never_early(stack, user):
    client = WsClient(ws_url(stack.services["realtime-1"].url, user.token))
    try:
        assert client.hello()["type"] == "hello"
        remind_ms = now_ms() + 4000
        task = create_task(user.api, title="Stand-up " + unique_word(),
                           reminders=[{"at": iso_ms(remind_ms)}])
        at, msg = client.wait_for(
            lambda m: m.get("type") == "notification" and m["notification"].get("task_id") == task["id"],
            timeout=(remind_ms - now_ms() + MAX_LATENESS_MS) / 1000 + 5, what="the notification")
    finally:
        client.close()
    assert at >= remind_ms - CLOCK_GRANULARITY_MS, f"{remind_ms - at:.0f} ms early: {msg}"
    assert at <= remind_ms + MAX_LATENESS_MS, f"{at - remind_ms:.0f} ms late: {msg}"


def test_completing_a_recurring_task_creates_exactly_one_next_occurrence(stack, user):
    word = unique_word()
    task = create_task(user.api, title=f"Water plants {word}", due_at="2030-03-02T09:00:00Z",
                       time_zone="Europe/Paris", recurrence={"rrule": "FREQ=DAILY", "mode": "schedule"})
    resp = user.api.post(f"/api/tasks/{task['id']}/complete")
    assert resp.status_code == 200, describe(resp)

    def pending():
        r = user.api.get("/api/tasks", params={"q": word, "status": "pending"})
        assert r.status_code == 200, describe(r)
        return r.json()["items"]

    nxt = wait_until(pending, EVENT_WAIT, interval=0.1, what="the next occurrence")
    assert len(nxt) == 1, nxt
    assert nxt[0]["due_at"] == "2030-03-03T09:00:00.000Z", nxt[0]
    # Redeliveries and the recurrer's retries must not add a second one.
    assert_stays(lambda: len(pending()) == 1, 3.0, interval=0.3, what="exactly one next occurrence")


def test_an_update_reaches_every_realtime_replica(stack, user):
    clients = [WsClient(ws_url(stack.services[n].url, user.token)) for n in ("realtime-1", "realtime-2")]
    try:
        for c in clients:
            assert c.hello()["type"] == "hello"
        task = create_task(user.api, title="Fan out " + unique_word())
        for c in clients:
            _, msg = c.wait_for(lambda m: m.get("type") == "task" and m.get("task", {}).get("id") == task["id"],
                                timeout=EVENT_WAIT, what=f"task {task['id']} on {c.url}")
            assert msg["op"] == "created", msg
    finally:
        for c in clients:
            c.close()


def test_api_events_keep_per_user_order_on_the_websocket(stack, user):
    client = WsClient(ws_url(stack.services["realtime-2"].url, user.token))
    try:
        client.hello()
        task = create_task(user.api, title="Order " + unique_word())
        for i in range(5):
            r = user.api.patch(f"/api/tasks/{task['id']}", json={"title": f"Order {i}"})
            assert r.status_code == 200, describe(r)
        client.wait_for(lambda m: m.get("type") == "task" and m.get("task", {}).get("id") == task["id"]
                        and m.get("version") == 6, timeout=EVENT_WAIT, what="version 6")
        versions = [m["version"] for _, m in client.received
                    if m.get("type") == "task" and m.get("task", {}).get("id") == task["id"]]
        assert versions == [1, 2, 3, 4, 5, 6], versions
    finally:
        client.close()
