"""Web Push (RFC 8030 / 8291 / 8292): a fired reminder reaches a push endpoint on loopback that
decrypts every message with an independent implementation (`http_ece`, aes128gcm) and verifies
the VAPID JWT's ES256 signature (`py_vapid`) against the key the instance publishes; 404/410
removes the subscription; 429 is retried; an action link POSTed acts once with the actor `push`."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests

from e2e_support import history, iso_ms, now_ms, wait_until
from helpers import assert_error, create_task, describe, signup
from push_support import Browser, b64url_decode, check_vapid
from webhook_receivers import Receiver

PUBLIC_URL = "https://tickler.example"
LEAD_MS = 1500


@pytest.fixture
def push_server(server_factory):
    return server_factory(extra_args=("--public-url", PUBLIC_URL,
                                      "--allowed-destinations", "127.0.0.0/8,::1/128",
                                      "--vapid-subject", "mailto:ops@tickler.example"))


def subscribe(owner, browser: Browser, status: int = 201) -> dict:
    resp = owner.api.post("/api/me/channels/push", json=browser.subscription)
    assert resp.status_code == status, describe(resp)
    return resp.json()


def reminder_task(owner, title: str) -> tuple[dict, int]:
    remind_ms = now_ms() + LEAD_MS
    task = create_task(owner.api, title=title, due_at=iso_ms(remind_ms + 3_600_000),
                       reminders=[{"at": iso_ms(remind_ms)}])
    return task, remind_ms


def local(srv, url: str) -> str:
    assert url.startswith(PUBLIC_URL + "/links/push/"), url
    return srv.base_url + url[len(PUBLIC_URL):]


def test_a_reminder_is_one_encrypted_signed_push_and_its_done_link_acts_once(push_server):
    owner = signup(push_server.base_url)
    public_key = owner.api.get("/api/me/channels/push/vapid-key").json()["public_key"]
    assert len(b64url_decode(public_key)) == 65 and b64url_decode(public_key)[0] == 4
    endpoint = Receiver(statuses=(201,))
    try:
        browser = Browser(endpoint.url)
        sub = subscribe(owner, browser)
        assert {"id", "endpoint", "user_agent", "created_at"} <= set(sub), sub
        channels = owner.api.get("/api/me/channels").json()["channels"]
        push = [c for c in channels if c["channel"] == f"push:{sub['id']}"]
        assert push and push[0]["state"] == "on" and push[0]["endpoint"] == endpoint.url, channels

        task, remind_ms = reminder_task(owner, "Water the ferns")
        wait_until(lambda: endpoint.requests, what="the push message")
        time.sleep(1.0)
        assert len(endpoint.requests) == 1, endpoint.requests
        request = endpoint.requests[0]
        assert request["at"] >= remind_ms - 5
        check_vapid(request, public_key, audience=endpoint.url.split("/hooks")[0])
        message = browser.decrypt(request["body"])
        assert message["type"] == "reminder", message
        assert message["title"] == "Water the ferns"
        assert message["task_id"] == task["id"]
        assert message["remind_at"] == iso_ms(remind_ms)
        assert message["url"] == f"{PUBLIC_URL}/?task={task['id']}"
        assert {"title", "body", "due_at", "priority", "actions"} <= set(message), message
        actions = {a["action"]: a for a in message["actions"]}
        assert set(actions) == {"done", "snooze-10m", "snooze-1h"}, actions

        wait_until(lambda: [d for d in owner.api.get(f"/api/tasks/{task['id']}/deliveries").json()["items"]
                            if d["channel"] == f"push:{sub['id']}" and d["state"] == "delivered"],
                   what="the push delivery recorded as delivered")

        # The service worker POSTs the Done link (fetch(url, {method: "POST"}): no body).
        done = local(push_server, actions["done"]["url"])
        resp = requests.post(done, timeout=10)
        assert resp.status_code == 200, resp.text
        assert owner.api.get(f"/api/tasks/{task['id']}").json()["status"] == "completed"
        assert requests.post(done, timeout=10).status_code == 409
        entries = wait_until(lambda: [e for e in history(owner.api, task["id"]) if "completed" in e["type"]],
                             what="the completion in the audit history")
        assert entries[0]["actor"] == "push", entries
    finally:
        endpoint.close()


def test_a_gone_subscription_is_removed_and_its_delivery_fails(push_server):
    owner = signup(push_server.base_url)
    endpoint = Receiver(statuses=(410,))
    try:
        sub = subscribe(owner, Browser(endpoint.url))
        task, _ = reminder_task(owner, "Gone")
        wait_until(lambda: endpoint.requests, what="the push attempt")
        wait_until(lambda: owner.api.get("/api/me/channels/push").json()["items"] == [],
                   what="the subscription removed")
        delivery = wait_until(
            lambda: [d for d in owner.api.get(f"/api/tasks/{task['id']}/deliveries").json()["items"]
                     if d["channel"] == f"push:{sub['id']}" and d["state"] == "dead"],
            what="the delivery dead")
        assert "410" in delivery[0]["last_error"], delivery
        time.sleep(2.5)
        assert len(endpoint.requests) == 1, "a gone subscription was tried again"
    finally:
        endpoint.close()


def test_429_is_retried_after_retry_after_and_delivered_once(push_server):
    owner = signup(push_server.base_url)
    endpoint = Receiver(statuses=(429, 201), headers={"Retry-After": "3"})
    try:
        browser = Browser(endpoint.url)
        sub = subscribe(owner, browser)
        task, _ = reminder_task(owner, "Busy push service")
        wait_until(lambda: len(endpoint.requests) >= 2, timeout=20, what="the retried push")
        gap = endpoint.requests[1]["at"] - endpoint.requests[0]["at"]
        assert gap >= 2900, f"retried {gap:.0f} ms after a 429 asking for 3 s"
        time.sleep(1.5)
        assert len(endpoint.requests) == 2, endpoint.requests
        first, second = (browser.decrypt(r["body"]) for r in endpoint.requests)
        assert first["delivery"] == second["delivery"] and first["task_id"] == task["id"]
        assert endpoint.requests[0]["headers"]["Topic"] == endpoint.requests[1]["headers"]["Topic"]
        wait_until(lambda: [d for d in owner.api.get(f"/api/tasks/{task['id']}/deliveries").json()["items"]
                            if d["channel"] == f"push:{sub['id']}" and d["state"] == "delivered"
                            and d["attempts"] == 2],
                   what="the push delivered on the second attempt")
    finally:
        endpoint.close()


def test_subscriptions_contract(push_server, server_factory):
    owner = signup(push_server.base_url)
    browser = Browser("http://127.0.0.1:9/push/a")
    first = subscribe(owner, browser)
    again = subscribe(owner, browser, status=200)
    assert again["id"] == first["id"]
    items = owner.api.get("/api/me/channels/push").json()["items"]
    assert [i["id"] for i in items] == [first["id"]], items
    # Another user sees none of them and cannot delete them.
    other = signup(push_server.base_url)
    assert other.api.get("/api/me/channels/push").json()["items"] == []
    assert other.api.delete(f"/api/me/channels/push/{first['id']}").status_code == 404
    # Bad keys and refused endpoints: 422.
    bad = dict(browser.subscription, keys={"p256dh": "BAAA", "auth": browser.subscription["keys"]["auth"]})
    assert owner.api.post("/api/me/channels/push", json=bad).status_code == 422
    bad = dict(browser.subscription, keys={"p256dh": browser.subscription["keys"]["p256dh"], "auth": "AA"})
    assert owner.api.post("/api/me/channels/push", json=bad).status_code == 422
    refused = dict(browser.subscription, endpoint="http://10.1.2.3/push")
    assert owner.api.post("/api/me/channels/push", json=refused).status_code == 422
    # At most 10.
    for n in range(9):
        subscribe(owner, Browser(f"http://127.0.0.1:9/push/{n}"))
    resp = owner.api.post("/api/me/channels/push", json=Browser("http://127.0.0.1:9/push/x").subscription)
    assert_error(resp, 409, "too_many_push_subscriptions")
    assert owner.api.delete(f"/api/me/channels/push/{first['id']}").status_code == 204
    assert owner.api.delete(f"/api/me/channels/push/{first['id']}").status_code == 404
    # Without the operator's loopback allowance, plain http (and loopback) is refused.
    plain = server_factory()
    user = signup(plain.base_url)
    assert user.api.post("/api/me/channels/push", json=browser.subscription).status_code == 422


def test_the_vapid_key_is_made_once_and_kept(server_factory, tmp_path):
    data = tmp_path / "kept"
    srv = server_factory(data_dir=data)
    owner = signup(srv.base_url)
    key = owner.api.get("/api/me/channels/push/vapid-key").json()["public_key"]
    srv.proc.terminate()
    srv.wait(10)
    again = server_factory(data_dir=data)
    login = requests.post(f"{again.base_url}/api/auth/login",
                          json={"email": owner.email, "password": owner.password}, timeout=10)
    assert login.status_code == 200, login.text
    resp = requests.get(f"{again.base_url}/api/me/channels/push/vapid-key",
                        headers={"Authorization": f"Bearer {login.json()['token']}"}, timeout=10)
    assert resp.json()["public_key"] == key


@pytest.mark.slow
def test_priority_send_a_test_and_the_digest_reach_a_subscription(push_server):
    """The task's priority travels into the message (and its Urgency); POST
    /api/me/channels/test sends a type "test" message to push:<id>; the daily digest chosen for
    push arrives once as a type "digest" message at the user's local time."""
    owner = signup(push_server.base_url)
    public_key = owner.api.get("/api/me/channels/push/vapid-key").json()["public_key"]
    endpoint = Receiver(statuses=(201,))
    try:
        browser = Browser(endpoint.url)
        sub = subscribe(owner, browser)
        channel = f"push:{sub['id']}"

        resp = owner.api.post("/api/me/channels/test", json={"channel": channel})
        assert resp.status_code == 200 and resp.json()["outcome"] == "delivered", describe(resp)
        assert len(endpoint.requests) == 1, endpoint.requests
        test = browser.decrypt(endpoint.requests[0]["body"])
        assert test["type"] == "test" and test["actions"] == [] and test["task_id"] is None, test
        check_vapid(endpoint.requests[0], public_key, audience=endpoint.url.split("/hooks")[0])
        resp = owner.api.post("/api/me/channels/test", json={"channel": f"push:{sub['id'] + 1000}"})
        assert_error(resp, 404, "channel_not_found")

        remind_ms = now_ms() + LEAD_MS
        urgent = create_task(owner.api, title="Urgent one", priority="high",
                             reminders=[{"at": iso_ms(remind_ms)}])
        wait_until(lambda: len(endpoint.requests) >= 2, what="the high reminder's push")
        message = browser.decrypt(endpoint.requests[1]["body"])
        assert message["task_id"] == urgent["id"] and message["priority"] == "high", message
        assert endpoint.requests[1]["headers"]["Urgency"] == "high"

        # The digest at the next whole minute, in a zone where "today" lasts through the test.
        zone = next(z for z in ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Pacific/Honolulu")
                    if 1 <= datetime.now(ZoneInfo(z)).hour < 22)
        now = datetime.now(timezone.utc)
        at = (now + timedelta(seconds=5)).replace(second=0, microsecond=0) + timedelta(minutes=1)
        at_ms = int(at.timestamp() * 1000)
        create_task(owner.api, title="Overdue bill", due_at=iso_ms(now_ms() - 86_400_000))
        resp = owner.api.put("/api/me/notification-settings", json={
            "time_zone": zone,
            "digest": {"time": at.astimezone(ZoneInfo(zone)).strftime("%H:%M"), "channels": ["push"]}})
        assert resp.status_code == 200, describe(resp)
        wait_until(lambda: len(endpoint.requests) >= 3, timeout=(at_ms - now_ms()) / 1000 + 20,
                   interval=0.2, what="the digest's push")
        assert endpoint.requests[2]["at"] >= at_ms - 5
        digest = browser.decrypt(endpoint.requests[2]["body"])
        assert digest["type"] == "digest" and digest["title"] == "Today: 0 due, 1 overdue", digest
        assert "Overdue bill" in digest["body"] and digest["actions"] == [], digest
        time.sleep(2.0)
        assert len(endpoint.requests) == 3, "the digest came once"
    finally:
        endpoint.close()
