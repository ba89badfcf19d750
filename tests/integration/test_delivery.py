"""The delivery core in the distributed mode (docs/notifications.md): two `tickler notifier`
replicas against one database deliver every reminder's webhook exactly once (the lease per
attempt), an https webhook verified with the `--ca-file` given to the role, a task event
(task.created) to a webhook that selected it, the receipts through the one origin (frontend →
api → notifier), and `tickler dlq deliveries` on the notifier's database.

The module restarts the stack's notifier with loopback destinations allowed (the receivers run
here), the test CA and two attempts per delivery, adds a second replica beside its own daprd,
and puts the stack's notifier back as it was afterwards."""

from __future__ import annotations

import json
import os
import signal
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from e2e_support import (assert_stays, cli_output, iso_ms, now_ms, run_cli, wait_until,
                         zone_away_from_midnight)
from flows import EVENT_WAIT
from helpers import Api, create_task, describe, signup, unique_word
from push_support import Browser
from webhook_receivers import Receiver
from webhook_receivers import TestCa as Ca  # not collected as a test class

ROOT = Path(__file__).resolve().parents[2]
LEAD_MS = 4000  # a reminder's due time ahead of its creation: the event crosses Kafka first


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return Ca(tmp_path_factory.mktemp("delivery-ca"))


@pytest.fixture(scope="module")
def notifiers(stack, ca):
    """The stack's notifier and a second replica, both able to reach loopback receivers and
    trusting the test CA."""
    env = {"TICKLER_ALLOWED_DESTINATIONS": "127.0.0.0/8,::1/128",
           "TICKLER_OUTBOUND_CA_FILE": str(ca.ca_file),
           "TICKLER_DELIVERY_MAX_ATTEMPTS": "2"}
    first = stack.services["notifier"]
    stack.kill(first.app)
    stack.start_app(first, extra_env=env)
    second = stack.add("notifier", "notifier-2")
    try:
        stack.start_sidecar(second)
        stack.start_app(second, extra_env=env)
        stack.wait_ready(first)
        stack.wait_ready(second)
        yield [first, second]
    finally:
        # SIGTERM: the second sidecar leaves the consumer group at once instead of holding its
        # partitions of `reminders` until Kafka's session timeout.
        stack.kill(second.app, signal.SIGTERM)
        stack.kill(second.sidecar, signal.SIGTERM)
        del stack.services[second.name]
        stack.kill(first.app, signal.SIGTERM)
        stack.start_app(first)
        stack.wait_ready(first)
        settle(stack)


def settle(stack) -> None:
    """Waits until reminders fire again through the one notifier left (users on several
    partitions of `reminders`): the next module's timing tests start from a settled consumer
    group and a healthy sidecar."""
    users = [signup(stack.services["api"].url) for _ in range(6)]
    for user in users:
        create_task(user.api, title="Settled? " + unique_word(),
                    reminders=[{"at": iso_ms(now_ms() + 500)}])
    for user in users:
        wait_until(lambda u=user: u.api.get("/api/notifications").json().get("items"), timeout=90,
                   interval=0.5, what="a reminder fired after the notifier's restart")


@pytest.fixture
def receiver():
    r = Receiver(statuses=(200,))
    yield r
    r.close()


def deliveries(api: Api, task_id: int) -> dict[str, dict]:
    resp = api.get(f"/api/tasks/{task_id}/deliveries")
    assert resp.status_code == 200, describe(resp)
    return {d["channel"]: d for d in resp.json()["items"]}


def receipt(api: Api, task_id: int, state: str, timeout: float = EVENT_WAIT) -> dict:
    def check():
        d = deliveries(api, task_id).get("webhook")
        return d if d and d["state"] == state else None
    return wait_until(check, timeout=timeout, interval=0.2, what=f"the webhook receipt {state}")


def test_two_notifier_replicas_deliver_every_reminder_exactly_once(stack, notifiers, receiver):
    users = [signup(stack.services["api"].url) for _ in range(4)]
    for user in users:
        r = user.api.put("/api/me/webhook", json={"url": receiver.url})
        assert r.status_code == 200, describe(r)
    per_user = 6
    due = iso_ms(now_ms() + LEAD_MS)
    for user in users:
        for i in range(per_user):
            create_task(user.api, title=f"Twice? {i}", reminders=[{"at": due}])
    expected = len(users) * per_user
    wait_until(lambda: len(receiver.requests) >= expected, timeout=LEAD_MS / 1000 + EVENT_WAIT,
               interval=0.2, what=f"{expected} webhook deliveries")
    # A double send by the other replica would arrive within a lease's poll: watch a while.
    assert_stays(lambda: len(receiver.requests) == expected, 3.0, what="no delivery twice")
    counts = Counter(r["headers"].get("X-Tickler-Delivery") for r in receiver.requests)
    assert len(counts) == expected and set(counts.values()) == {1}, counts
    assert {json.loads(r["body"])["user_id"] for r in receiver.requests} == {u.id for u in users}


def test_https_webhook_with_the_roles_ca_file_and_receipts_through_the_frontend(
        stack, notifiers, ca, frontend):
    secure = Receiver(statuses=(200,), tls=ca)
    try:
        user = signup(frontend.url)  # every call below goes frontend → api → notifier
        r = user.api.put("/api/me/webhook", json={"url": secure.url})
        assert r.status_code == 200, describe(r)
        channels = user.api.get("/api/me/channels")
        assert channels.status_code == 200, describe(channels)
        assert "webhook" in json.dumps(channels.json()), channels.json()
        task = create_task(user.api, title="Over https " + unique_word(),
                           reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        got = receipt(user.api, task["id"], "delivered", timeout=LEAD_MS / 1000 + EVENT_WAIT)
        assert got["attempts"] == 1 and got["last_error"] is None, got
        assert got["sent_at"] and got["delivered_at"], got
        assert len(secure.requests) == 1, secure.requests
        req = secure.requests[0]
        assert req["headers"].get("X-Tickler-Delivery") == got["reminder_id"], req
        assert req["headers"].get("X-Tickler-Signature", "").startswith("sha256="), req
        assert deliveries(user.api, task["id"])["in_app"]["state"] == "delivered"
    finally:
        secure.close()


def test_a_task_event_reaches_the_webhook_that_selected_it(stack, notifiers, receiver):
    user = signup(stack.services["api"].url)
    r = user.api.post("/api/me/channels/webhooks",
                      json={"url": receiver.url, "events": ["task.created"]})
    assert r.status_code == 201, describe(r)
    task = create_task(user.api, title="Announced " + unique_word())
    wait_until(lambda: receiver.requests, timeout=EVENT_WAIT, interval=0.2, what="task.created")
    assert_stays(lambda: len(receiver.requests) == 1, 2.0, what="one task.created delivery")
    req = receiver.requests[0]
    body = json.loads(req["body"])
    assert req["headers"].get("X-Tickler-Event") == "task.created", req
    assert body["type"] == "tickler.task.created.v1" and body["task_id"] == task["id"], body
    assert req["headers"].get("X-Tickler-Delivery", "").startswith("event:"), req


def test_dead_deliveries_are_redriven_with_tickler_dlq_on_the_notifiers_database(
        stack, notifiers):
    flaky = Receiver(statuses=(503, 503, 200))
    tickler = Path(os.environ.get("TICKLER_BIN", ROOT / "build" / "tickler"))
    db = ["--database-url", stack.pg_urls["notifier"]]
    try:
        user = signup(stack.services["api"].url)
        assert user.api.put("/api/me/webhook", json={"url": flaky.url}).status_code == 200
        task = create_task(user.api, title="Flaky " + unique_word(),
                           reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        dead = receipt(user.api, task["id"], "dead", timeout=LEAD_MS / 1000 + EVENT_WAIT + 10)
        assert dead["attempts"] == 2 and dead["last_error"] == "HTTP 503", dead
        key = f"{dead['reminder_id']}/webhook"
        listed = cli_output(run_cli(tickler, "dlq", "deliveries", "list", *db))
        assert key in listed and "HTTP 503" in listed, listed
        out = run_cli(tickler, "dlq", "deliveries", "redrive", key, *db)
        assert out.returncode == 0 and "redriven: 1" in cli_output(out), cli_output(out)
        again = receipt(user.api, task["id"], "delivered")
        assert again["attempts"] == 1, again
        assert len(flaky.requests) == 3
        assert {r["headers"].get("X-Tickler-Delivery") for r in flaky.requests} == {dead["reminder_id"]}
        assert key not in cli_output(run_cli(tickler, "dlq", "deliveries", "list", *db))
    finally:
        flaky.close()


def test_the_controls_through_the_frontend(stack, notifiers, frontend, receiver):
    """Preferences, a task's override (checked against the api's tasks before the notifier gets
    it) and send-a-test, each frontend → api → notifier; the priority's channels applied by the
    role."""
    user = signup(frontend.url)
    r = user.api.put("/api/me/notification-settings",
                     json={"time_zone": "Europe/Berlin", "channels_by_priority": {"low": []}})
    assert r.status_code == 200 and r.json()["time_zone"] == "Europe/Berlin", describe(r)
    assert user.api.get("/api/me/notification-settings").json()["channels_by_priority"]["low"] == []
    assert user.api.put("/api/me/webhook", json={"url": receiver.url}).status_code == 200
    r = user.api.post("/api/me/channels/test", json={"channel": "webhook"})
    assert r.status_code == 200 and r.json()["outcome"] == "delivered", describe(r)
    assert receiver.requests[0]["headers"].get("X-Tickler-Event") == "test"
    r = user.api.post("/api/me/channels/test", json={"channel": "webhook:0"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "channel_not_found", describe(r)

    task = create_task(user.api, title="Quiet low " + unique_word(), priority="low")
    path = f"/api/tasks/{task['id']}/notification-override"
    stranger = signup(frontend.url)
    assert stranger.api.put(path, json={"quiet_hours": "ignore"}).status_code == 404
    r = user.api.put(path, json={"channels": ["webhook"], "quiet_hours": "ignore"})
    assert r.status_code == 200 and r.json()["channels"] == ["webhook"], describe(r)
    assert user.api.get(path).json()["quiet_hours"] == "ignore"
    # A low reminder: no channel by priority, the webhook by the override.
    low = create_task(user.api, title="Low " + unique_word(), priority="low",
                      reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
    r = user.api.patch(f"/api/tasks/{task['id']}", json={"reminders": [{"at": iso_ms(now_ms() + LEAD_MS)}]})
    assert r.status_code == 200, describe(r)
    got = receipt(user.api, task["id"], "delivered", timeout=LEAD_MS / 1000 + EVENT_WAIT)
    assert got["attempts"] == 1, got
    wait_until(lambda: deliveries(user.api, low["id"]).get("in_app"), timeout=EVENT_WAIT,
               interval=0.2, what="the low reminder fired")
    assert set(deliveries(user.api, low["id"])) == {"in_app"}
    assert user.api.delete(path).status_code == 204


def subscribe_push(user, endpoint: Receiver):
    """A browser's push subscription for `endpoint`: (its id, decrypt(body) -> the message)."""
    browser = Browser(endpoint.url)
    r = user.api.post("/api/me/channels/push", json=browser.subscription)
    assert r.status_code == 201, describe(r)
    return r.json()["id"], browser.decrypt


def test_web_push_through_the_frontend_with_the_secret_stores_key(stack, notifiers, frontend):
    """The notifier's VAPID key comes from the secret store (vapid-private-key); subscribing,
    the push itself and its Done link all go frontend → api → notifier (or api)."""
    endpoint = Receiver(statuses=(201,))
    try:
        user = signup(frontend.url)
        r = user.api.get("/api/me/channels/push/vapid-key")
        assert r.status_code == 200, describe(r)
        sub_id, decrypt = subscribe_push(user, endpoint)
        assert [s["id"] for s in user.api.get("/api/me/channels/push").json()["items"]] == [sub_id]
        task = create_task(user.api, title="Pushed " + unique_word(),
                           reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        wait_until(lambda: endpoint.requests, timeout=LEAD_MS / 1000 + EVENT_WAIT, interval=0.2,
                   what="the push message")
        assert_stays(lambda: len(endpoint.requests) == 1, 3.0, what="one push")
        message = decrypt(endpoint.requests[0]["body"])
        assert message["task_id"] == task["id"] and message["type"] == "reminder", message
        done = next(a["url"] for a in message["actions"] if a["action"] == "done")
        path = done[done.index("/links/push/"):]
        resp = Api(frontend.url).post(path)
        assert resp.status_code == 200, describe(resp)
        assert user.api.get(f"/api/tasks/{task['id']}").json()["status"] == "completed"
        assert user.api.delete(f"/api/me/channels/push/{sub_id}").status_code == 204
    finally:
        endpoint.close()


def test_the_daily_digest_reads_the_apis_tasks_over_invocation(stack, notifiers, frontend):
    """The notifier role has no tasks: at the digest's local minute it asks the api
    (POST /internal/digest, allowed to the notifier alone) for the user's overdue and today's
    tasks, and pushes them once."""
    endpoint = Receiver(statuses=(201,))
    try:
        user = signup(frontend.url)
        _, decrypt = subscribe_push(user, endpoint)
        zone = zone_away_from_midnight()
        now = datetime.now(timezone.utc)
        at = (now + timedelta(seconds=5)).replace(second=0, microsecond=0) + timedelta(minutes=1)
        create_task(user.api, title="Overdue " + unique_word(), due_at=iso_ms(now_ms() - 86_400_000))
        today = create_task(user.api, title="Later today " + unique_word(),
                            due_at=iso_ms(int(at.timestamp() * 1000) + 30_000), time_zone=zone)
        create_task(user.api, title="Next week", due_at=iso_ms(now_ms() + 7 * 86_400_000))
        local = at.astimezone(ZoneInfo(zone))
        r = user.api.put("/api/me/notification-settings", json={
            "time_zone": zone, "digest": {"time": local.strftime("%H:%M"), "channels": ["push"]}})
        assert r.status_code == 200, describe(r)
        wait_until(lambda: endpoint.requests, timeout=(at - now).total_seconds() + EVENT_WAIT,
                   interval=0.5, what="the digest's push")
        assert datetime.now(timezone.utc) >= at
        assert_stays(lambda: len(endpoint.requests) == 1, 3.0, what="one digest")
        message = decrypt(endpoint.requests[0]["body"])
        assert message["type"] == "digest" and message["title"] == "Today: 1 due, 1 overdue", message
        lines = message["body"].splitlines()
        assert lines[0].startswith("Overdue: Overdue ") and lines[1].startswith(today["title"]), message
        assert "Next week" not in message["body"], message
    finally:
        endpoint.close()
