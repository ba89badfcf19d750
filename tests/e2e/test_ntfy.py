"""ntfy: a fired reminder is one JSON publish to the user's server and topic (title, priority,
Done / Snooze as http actions, click to the task), with the access token as a Bearer credential;
the Done action's URL acts once with the audit actor `ntfy`.

The ntfy server cannot be built here (the Go module proxy answers 403 for heckel.io/ntfy/v2), so
these tests run against a stand-in of its documented HTTP API (`ntfy_support.NtfyStandIn`)."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from e2e_support import history, iso_ms, now_ms, wait_until
from helpers import assert_validation, create_task, describe, signup
from ntfy_support import NtfyStandIn

PUBLIC_URL = "https://tickler.example"
LEAD_MS = 1500
TOKEN = "tk_standin0123456789"


@pytest.fixture
def ntfy_server(server_factory):
    return server_factory(extra_args=("--public-url", PUBLIC_URL,
                                      "--allowed-destinations", "127.0.0.0/8,::1/128"))


def local(srv, url: str) -> str:
    assert url.startswith(PUBLIC_URL + "/links/ntfy/"), url
    return srv.base_url + url[len(PUBLIC_URL):]


def test_a_reminder_is_one_publish_with_actions_and_done_acts_once(ntfy_server):
    ntfy = NtfyStandIn(token=TOKEN)
    try:
        owner = signup(ntfy_server.base_url)
        topic = f"tickler-{uuid.uuid4().hex[:10]}"
        resp = owner.api.put("/api/me/channels/ntfy", json={"server": ntfy.url, "topic": topic, "token": TOKEN})
        assert resp.status_code == 200, describe(resp)
        body = resp.json()
        assert body["channel"] == "ntfy" and body["server"] == ntfy.url and body["topic"] == topic, body
        assert body["has_token"] is True and "token" not in body, body
        assert owner.api.get("/api/me/channels/ntfy").json() == body
        channels = owner.api.get("/api/me/channels").json()["channels"]
        assert [c for c in channels if c["channel"] == "ntfy" and c["state"] == "on"], channels

        remind_ms = now_ms() + LEAD_MS
        task = create_task(owner.api, title="Call the plumber", reminders=[{"at": iso_ms(remind_ms)}])
        messages = wait_until(lambda: ntfy.poll(topic), what="the ntfy message")
        time.sleep(1.0)
        messages = ntfy.poll(topic)
        assert len(messages) == 1, messages
        m = messages[0]
        assert m["title"] == "Call the plumber" and m["message"], m
        assert m["priority"] == 3, m  # a task without priority: ntfy's default
        assert m["click"] == f"{PUBLIC_URL}/?task={task['id']}", m
        labels = [a["label"] for a in m["actions"]]
        assert labels == ["Done", "Snooze 10 min", "Snooze 1 h"], m["actions"]
        assert all(a["action"] == "http" and a["method"] == "POST" and a["clear"] is True
                   for a in m["actions"]), m["actions"]
        assert ntfy.requests[-1]["headers"]["Authorization"] == f"Bearer {TOKEN}"
        wait_until(lambda: [d for d in owner.api.get(f"/api/tasks/{task['id']}/deliveries").json()["items"]
                            if d["channel"] == "ntfy" and d["state"] == "sent"],
                   what="the ntfy delivery recorded as sent")

        done = local(ntfy_server, m["actions"][0]["url"])
        resp = requests.post(done, timeout=10)  # the ntfy app's http action: a POST, no body
        assert resp.status_code == 200, resp.text
        assert owner.api.get(f"/api/tasks/{task['id']}").json()["status"] == "completed"
        assert requests.post(done, timeout=10).status_code == 409
        entries = wait_until(lambda: [e for e in history(owner.api, task["id"]) if "completed" in e["type"]],
                             what="the completion in the audit history")
        assert entries[0]["actor"] == "ntfy", entries
    finally:
        ntfy.close()


def test_a_busy_server_is_retried_and_a_refused_token_fails(ntfy_server):
    busy = NtfyStandIn(statuses=[503])
    refusing = NtfyStandIn(token="tk_other")
    try:
        owner = signup(ntfy_server.base_url)
        owner.api.put("/api/me/channels/ntfy", json={"server": busy.url, "topic": "busy"})
        task = create_task(owner.api, title="Busy", reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        wait_until(lambda: busy.poll("busy"), timeout=20, what="the message after a 503")
        assert len(busy.poll("busy")) == 1

        other = signup(ntfy_server.base_url)
        other.api.put("/api/me/channels/ntfy", json={"server": refusing.url, "topic": "t", "token": "tk_wrong"})
        task = create_task(other.api, title="Refused", reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        dead = wait_until(lambda: [d for d in other.api.get(f"/api/tasks/{task['id']}/deliveries").json()["items"]
                                   if d["channel"] == "ntfy" and d["state"] == "dead"],
                          what="the delivery dead after a 401")
        assert "401" in dead[0]["last_error"], dead
    finally:
        busy.close()
        refusing.close()


def test_settings_are_validated(ntfy_server, server_factory):
    owner = signup(ntfy_server.base_url)
    assert owner.api.get("/api/me/channels/ntfy").status_code == 404
    assert_validation(owner.api.put("/api/me/channels/ntfy",
                                    json={"server": "http://127.0.0.1:9", "topic": "has space"}), "topic")
    assert_validation(owner.api.put("/api/me/channels/ntfy",
                                    json={"server": "http://10.0.0.1", "topic": "t"}), "server")
    assert_validation(owner.api.put("/api/me/channels/ntfy",
                                    json={"server": "http://127.0.0.1:9/some/path", "topic": "t"}), "server")
    resp = owner.api.put("/api/me/channels/ntfy", json={"server": "http://127.0.0.1:9/", "topic": "t"})
    assert resp.status_code == 200 and resp.json()["server"] == "http://127.0.0.1:9", describe(resp)
    assert resp.json()["has_token"] is False
    assert owner.api.delete("/api/me/channels/ntfy").status_code == 204
    assert owner.api.get("/api/me/channels/ntfy").status_code == 404
    # Without the operator's loopback allowance, plain http and loopback are refused.
    plain = server_factory()
    user = signup(plain.base_url)
    assert_validation(user.api.put("/api/me/channels/ntfy",
                                   json={"server": "http://127.0.0.1:9", "topic": "t"}), "server")


def test_send_a_test_and_a_high_tasks_priority(ntfy_server):
    """POST /api/me/channels/test {"channel": "ntfy"} publishes a test message at once; a high
    task's reminder is published with ntfy's priority 5."""
    ntfy = NtfyStandIn()
    try:
        owner = signup(ntfy_server.base_url)
        topic = f"tickler-{uuid.uuid4().hex[:10]}"
        resp = owner.api.post("/api/me/channels/test", json={"channel": "ntfy"})
        assert resp.status_code == 404, describe(resp)  # no topic yet
        assert owner.api.put("/api/me/channels/ntfy", json={"server": ntfy.url, "topic": topic}).status_code == 200
        resp = owner.api.post("/api/me/channels/test", json={"channel": "ntfy"})
        assert resp.status_code == 200 and resp.json()["outcome"] == "sent", describe(resp)
        [test] = ntfy.poll(topic)
        assert test["title"] == "Tickler test" and test["actions"] == [], test

        create_task(owner.api, title="Urgent call", priority="high",
                    reminders=[{"at": iso_ms(now_ms() + LEAD_MS)}])
        wait_until(lambda: len(ntfy.poll(topic)) == 2, what="the high reminder's publish")
        urgent = ntfy.poll(topic)[1]
        assert urgent["title"] == "Urgent call" and urgent["priority"] == 5, urgent
    finally:
        ntfy.close()
