"""The delivery core (docs/notifications.md) over real processes: https webhooks verified against
a CA made by the test (given with --ca-file; a wrong CA refused; IPv6 loopback), one delivery
record per reminder × channel with its receipts, a receiver down for a while (delivered once
when it returns), 5xx until the attempts run out (dead, then redriven with `tickler dlq
deliveries`), and kill -9 of the server mid-delivery (nothing lost; a resend carries the same
X-Tickler-Delivery key, which receivers dedupe on)."""

from __future__ import annotations

import json
import socket
from collections import Counter

import pytest

from e2e_support import assert_stays, cli_output, iso_ms, now_ms, run_cli, wait_until
from helpers import create_task, describe, signup
from webhook_receivers import Receiver, TestCa

LOOPBACK = ["--allowed-destinations", "127.0.0.0/8,::1/128"]
LEAD_MS = 1500


def deliveries(api, task_id):
    resp = api.get(f"/api/tasks/{task_id}/deliveries")
    assert resp.status_code == 200, describe(resp)
    return {d["channel"]: d for d in resp.json()["items"]}


def webhook_receipt(api, task_id, state):
    def check():
        d = deliveries(api, task_id).get("webhook")
        return d if d and d["state"] == state else None
    return check


def keys(receiver):
    return [r["headers"].get("X-Tickler-Delivery") for r in receiver.requests]


@pytest.fixture
def ca(tmp_path):
    return TestCa(tmp_path / "ca")


@pytest.mark.slow
@pytest.mark.parametrize("family", [socket.AF_INET, socket.AF_INET6], ids=["ipv4", "ipv6"])
def test_https_webhook_is_verified_with_the_ca_file(server_factory, ca, family):
    receiver = Receiver(statuses=(200,), tls=ca, family=family)
    try:
        srv = server_factory(extra_args=[*LOOPBACK, "--ca-file", str(ca.ca_file)])
        user = signup(srv.base_url)
        resp = user.api.put("/api/me/webhook", json={"url": receiver.url})
        assert resp.status_code == 200, describe(resp)
        task = create_task(user.api, title="Over https", reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        wait_until(lambda: receiver.requests, timeout=LEAD_MS / 1000 + 5, what="the https POST")
        req = receiver.requests[0]
        assert json.loads(req["body"])["title"] == "Over https"
        assert req["headers"].get("X-Tickler-Signature", "").startswith("sha256="), req
        receipt = wait_until(webhook_receipt(user.api, task["id"], "delivered"), timeout=5,
                             what="the delivered receipt")
        assert receipt["attempts"] == 1 and receipt["last_error"] is None, receipt
        assert receipt["sent_at"] and receipt["delivered_at"], receipt
        assert req["headers"].get("X-Tickler-Delivery") == receipt["reminder_id"], req
        # The notification centre shows the same receipts.
        items = user.api.get("/api/notifications").json()["items"]
        assert {d["channel"]: d["state"] for d in items[0]["deliveries"]} == {
            "in_app": "delivered", "webhook": "delivered"}, items[0]
    finally:
        receiver.close()


@pytest.mark.slow
def test_a_certificate_of_an_unknown_ca_is_refused(server_factory, ca, tmp_path):
    other = TestCa(tmp_path / "other", name="Someone else's CA")
    receiver = Receiver(statuses=(200,), tls=ca)
    try:
        # Trusting another CA only (and the system's): the receiver's certificate is not trusted.
        srv = server_factory(extra_args=[*LOOPBACK, "--ca-file", str(other.ca_file),
                                         "--delivery-max-attempts", "2"])
        user = signup(srv.base_url)
        assert user.api.put("/api/me/webhook", json={"url": receiver.url}).status_code == 200
        task = create_task(user.api, title="Untrusted", reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        receipt = wait_until(webhook_receipt(user.api, task["id"], "dead"), timeout=LEAD_MS / 1000 + 10,
                             what="the delivery dead after its attempts")
        assert receipt["attempts"] == 2, receipt
        assert "certificate" in receipt["last_error"].lower() or "ssl" in receipt["last_error"].lower(), receipt
        assert receiver.requests == [], "a request went to an untrusted server"
    finally:
        receiver.close()


@pytest.mark.slow
def test_a_receiver_down_for_a_while_gets_the_reminder_once(server_factory):
    probe = Receiver(statuses=(200,))
    port = probe.port
    probe.close()  # down: connections refused
    srv = server_factory(extra_args=LOOPBACK)
    user = signup(srv.base_url)
    url = f"http://127.0.0.1:{port}/hooks/tickler"
    assert user.api.put("/api/me/webhook", json={"url": url}).status_code == 200
    task = create_task(user.api, title="Patience", reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
    failed = wait_until(webhook_receipt(user.api, task["id"], "failed"), timeout=LEAD_MS / 1000 + 5,
                        what="a failed attempt while the receiver is down")
    assert failed["last_error"] and failed["next_attempt_at"], failed
    receiver = Receiver(statuses=(200,), port=port)
    try:
        receipt = wait_until(webhook_receipt(user.api, task["id"], "delivered"), timeout=20,
                             what="the delivery once the receiver is back")
        assert receipt["attempts"] >= 2, receipt
        wait_until(lambda: receiver.requests, timeout=2, what="the request")
        assert len(receiver.requests) == 1, receiver.requests
    finally:
        receiver.close()


@pytest.mark.slow
def test_5xx_until_dead_then_redriven_with_tickler_dlq(server_factory, tickler_bin):
    receiver = Receiver(statuses=(503, 503, 200))
    try:
        srv = server_factory(extra_args=[*LOOPBACK, "--delivery-max-attempts", "2"])
        user = signup(srv.base_url)
        assert user.api.put("/api/me/webhook", json={"url": receiver.url}).status_code == 200
        task = create_task(user.api, title="Flaky", reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        dead = wait_until(webhook_receipt(user.api, task["id"], "dead"), timeout=LEAD_MS / 1000 + 10,
                          what="the delivery dead after 2 attempts")
        assert dead["attempts"] == 2 and dead["last_error"] == "HTTP 503", dead
        assert len(receiver.requests) == 2

        key = f"{dead['reminder_id']}/webhook"
        listed = cli_output(run_cli(tickler_bin, "dlq", "deliveries", "list", "--data", str(srv.data_dir)))
        assert "1 dead delivery" in listed and key in listed and "HTTP 503" in listed, listed
        wrong = run_cli(tickler_bin, "dlq", "deliveries", "redrive", "nope/webhook", "--data", str(srv.data_dir))
        assert wrong.returncode == 1, cli_output(wrong)
        out = run_cli(tickler_bin, "dlq", "deliveries", "redrive", key, "--data", str(srv.data_dir))
        assert out.returncode == 0 and "redriven: 1" in cli_output(out), cli_output(out)

        receipt = wait_until(webhook_receipt(user.api, task["id"], "delivered"), timeout=5,
                             what="the redriven delivery")
        assert receipt["attempts"] == 1, receipt
        assert len(receiver.requests) == 3
        assert set(keys(receiver)) == {dead["reminder_id"]}, "the key changed between attempts"
        listed = cli_output(run_cli(tickler_bin, "dlq", "deliveries", "list", "--data", str(srv.data_dir)))
        assert "0 dead deliveries" in listed, listed
    finally:
        receiver.close()


@pytest.mark.slow
def test_kill_9_mid_delivery_loses_nothing_and_resends_with_the_same_key(server_factory):
    """The receiver holds each request 1 s: the server is killed while one is in flight. After
    the restart (a short lease), every reminder is delivered; a resend of the one in flight is
    the only duplicate, under the same X-Tickler-Delivery key."""
    receiver = Receiver(statuses=(200,), delay=1.0)
    count = 4
    args = [*LOOPBACK, "--delivery-lease", "3", "--webhook-timeout-ms", "2500"]
    try:
        srv = server_factory(extra_args=args)
        user = signup(srv.base_url)
        assert user.api.put("/api/me/webhook", json={"url": receiver.url}).status_code == 200
        due = now_ms() + LEAD_MS
        tasks = [create_task(user.api, title=f"Batch {i}", reminders=[{"at": iso_ms(due)}]) for i in range(count)]
        wait_until(lambda: receiver.requests, timeout=LEAD_MS / 1000 + 5, what="the first request in flight")
        srv.kill()
        srv = server_factory(data_dir=srv.data_dir, extra_args=args)
        user.api.base_url = srv.base_url

        def all_delivered():
            states = [deliveries(user.api, t["id"]).get("webhook", {}).get("state") for t in tasks]
            return states if all(s == "delivered" for s in states) else None

        wait_until(all_delivered, timeout=count * 2 + 15, what="every delivery after the restart")
        seen = Counter(keys(receiver))
        assert len(seen) == count, seen  # none lost
        doubles = [k for k, n in seen.items() if n > 1]
        assert len(doubles) <= 1 and all(seen[k] == 2 for k in doubles), seen  # only the one in flight
    finally:
        receiver.close()


def test_channels_list_the_users_channels(api):
    resp = api.get("/api/me/channels")
    assert resp.status_code == 200, describe(resp)
    assert resp.json()["channels"] == [{"channel": "in_app", "state": "on"}]
    assert api.put("/api/me/webhook", json={"url": "http://127.0.0.1:9/hook"}).status_code == 200
    channels = api.get("/api/me/channels").json()["channels"]
    assert [c["channel"] for c in channels] == ["in_app", "webhook"], channels
    assert channels[1]["state"] == "on" and channels[1]["url"] == "http://127.0.0.1:9/hook", channels
    assert channels[1]["events"] == ["reminder.fired"], channels
    assert "secret" not in channels[1]
    assert api.delete("/api/me/webhook").status_code == 204


def test_a_tasks_deliveries_are_its_owners_only(api, make_user):
    task = create_task(api, title="Mine")
    assert api.get(f"/api/tasks/{task['id']}/deliveries").json() == {"items": []}
    other = make_user()
    assert other.api.get(f"/api/tasks/{task['id']}/deliveries").json() == {"items": []}
    assert api.get("/api/tasks/abc/deliveries").status_code == 404


def test_several_webhooks_under_channels(api, make_user):
    assert api.get("/api/me/channels/webhooks").json() == {"items": []}
    first = api.put("/api/me/webhook", json={"url": "http://127.0.0.1:9/first"})
    assert first.status_code == 200, describe(first)
    resp = api.post("/api/me/channels/webhooks", json={"url": "https://127.0.0.1:9/second",
                                                       "events": ["reminder.fired"]})
    assert resp.status_code == 201, describe(resp)
    second = resp.json()
    assert second["url"] == "https://127.0.0.1:9/second" and second["events"] == ["reminder.fired"], second
    assert 16 <= len(second["secret"]) <= 256, second
    assert resp.headers["Location"] == f"/api/me/channels/webhooks/{second['id']}"
    items = api.get("/api/me/channels/webhooks").json()["items"]
    assert [h["url"] for h in items] == ["http://127.0.0.1:9/first", "https://127.0.0.1:9/second"], items
    assert all("secret" not in h for h in items), items
    assert items[0]["id"] == first.json()["id"]
    channels = api.get("/api/me/channels").json()["channels"]
    assert [c["channel"] for c in channels] == ["in_app", "webhook", f"webhook:{second['id']}"], channels

    resp = api.patch(f"/api/me/channels/webhooks/{second['id']}", json={"url": "https://127.0.0.1:9/2b"})
    assert resp.status_code == 200 and resp.json()["url"] == "https://127.0.0.1:9/2b", describe(resp)
    assert api.get(f"/api/me/channels/webhooks/{second['id']}").json()["url"] == "https://127.0.0.1:9/2b"
    for bad in ({"events": []}, {"events": ["task.nope"]}, {"url": "ftp://x/y"}, {"secret": "short"}, {"other": 1}):
        resp = api.patch(f"/api/me/channels/webhooks/{second['id']}", json=bad)
        assert resp.status_code == 422, (bad, describe(resp))
    other = make_user()
    assert other.api.get(f"/api/me/channels/webhooks/{second['id']}").status_code == 404
    assert other.api.delete(f"/api/me/channels/webhooks/{second['id']}").status_code == 404
    assert other.api.patch(f"/api/me/channels/webhooks/{second['id']}", json={"url": "https://127.0.0.1:9/x"}).status_code == 404
    assert api.delete(f"/api/me/channels/webhooks/{second['id']}").status_code == 204
    assert api.get(f"/api/me/channels/webhooks/{second['id']}").status_code == 404
    assert api.delete("/api/me/webhook").status_code == 204
    assert api.get("/api/me/channels/webhooks").json() == {"items": []}


@pytest.mark.slow
def test_each_webhook_gets_the_reminder_once_under_its_own_key(server_factory):
    one, two = Receiver(statuses=(200,)), Receiver(statuses=(200,))
    try:
        srv = server_factory(extra_args=LOOPBACK)
        user = signup(srv.base_url)
        assert user.api.put("/api/me/webhook", json={"url": one.url}).status_code == 200
        resp = user.api.post("/api/me/channels/webhooks", json={"url": two.url})
        assert resp.status_code == 201, describe(resp)
        hook_id = resp.json()["id"]
        task = create_task(user.api, title="Twice over", reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        wait_until(lambda: one.requests and two.requests, timeout=LEAD_MS / 1000 + 5, what="both POSTs")

        def receipts():
            d = deliveries(user.api, task["id"])
            return d if {d.get("webhook", {}).get("state"), d.get(f"webhook:{hook_id}", {}).get("state")} == {"delivered"} else None

        d = wait_until(receipts, timeout=5, what="both receipts delivered")
        rid = d["webhook"]["reminder_id"]
        assert keys(one) == [rid] and keys(two) == [f"{rid}/webhook:{hook_id}"], (keys(one), keys(two))
    finally:
        one.close()
        two.close()


@pytest.mark.slow
def test_a_webhook_gets_the_task_events_it_selected(server_factory):
    receiver = Receiver(statuses=(200,))
    try:
        srv = server_factory(extra_args=LOOPBACK)
        user = signup(srv.base_url)
        resp = user.api.post("/api/me/channels/webhooks", json={
            "url": receiver.url, "events": ["task.created", "task.completed", "task.deleted"]})
        assert resp.status_code == 201, describe(resp)
        task = create_task(user.api, title="Watched")
        assert user.api.patch(f"/api/tasks/{task['id']}", json={"title": "Watched, renamed"}).status_code == 200
        assert user.api.post(f"/api/tasks/{task['id']}/complete").status_code == 200
        assert user.api.delete(f"/api/tasks/{task['id']}").status_code == 204
        wait_until(lambda: len(receiver.requests) >= 3, timeout=10, what="three task events")
        events = [r["headers"].get("X-Tickler-Event") for r in receiver.requests]
        assert events == ["task.created", "task.completed", "task.deleted"], events  # in order, no update
        bodies = [json.loads(r["body"]) for r in receiver.requests]
        assert [b["type"] for b in bodies] == ["tickler.task.created.v1", "tickler.task.completed.v1",
                                               "tickler.task.deleted.v1"], bodies
        assert all(b["task_id"] == task["id"] and b["user_id"] == user.id for b in bodies), bodies
        assert bodies[0]["task"]["title"] == "Watched", bodies[0]
        ks = keys(receiver)
        assert len(set(ks)) == 3 and all(k.startswith("event:") for k in ks), ks
        # A reminder is not sent to a webhook that did not select reminder.fired.
        create_task(user.api, title="Reminded", reminders=[{"at": iso_ms(now_ms() + 500)}])
        wait_until(lambda: len(receiver.requests) >= 4, timeout=10, what="the next task.created")
        assert_stays(lambda: [r["headers"].get("X-Tickler-Event") for r in receiver.requests][3:] == ["task.created"],
                     2.0, what="no reminder.fired to a webhook that did not select it")
    finally:
        receiver.close()


@pytest.mark.slow
def test_dlq_deliveries_redrive_all(server_factory, tickler_bin):
    receiver = Receiver(statuses=(503, 503, 200))
    try:
        srv = server_factory(extra_args=[*LOOPBACK, "--delivery-max-attempts", "1"])
        user = signup(srv.base_url)
        assert user.api.put("/api/me/webhook", json={"url": receiver.url}).status_code == 200
        due = iso_ms(now_ms() + LEAD_MS)
        tasks = [create_task(user.api, title=f"Dead {i}", reminders=[{"at": due}]) for i in range(2)]
        for t in tasks:
            wait_until(webhook_receipt(user.api, t["id"], "dead"), timeout=LEAD_MS / 1000 + 10,
                       what=f"{t['title']} dead after one attempt")
        out = run_cli(tickler_bin, "dlq", "deliveries", "redrive", "--data", str(srv.data_dir))
        assert out.returncode == 2, cli_output(out)  # neither a delivery nor --all
        out = run_cli(tickler_bin, "dlq", "deliveries", "redrive", "--all", "--data", str(srv.data_dir))
        assert out.returncode == 0 and "redriven: 2" in out.stdout, cli_output(out)
        for t in tasks:
            wait_until(webhook_receipt(user.api, t["id"], "delivered"), timeout=10,
                       what=f"{t['title']} delivered after the redrive")
        assert len(receiver.requests) == 4, receiver.requests
    finally:
        receiver.close()
