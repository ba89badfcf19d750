"""Webhooks: a fired reminder is POSTed to the user's URL, signed with HMAC-SHA256 of the body;
a non-2xx answer is retried with backoff until a 2xx."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket

import pytest

from e2e_support import assert_stays, iso_ms, now_ms, parse_ms, wait_until
from helpers import assert_error, assert_validation, create_task, describe
from webhook_receivers import Receiver

SECRET = "e2e-webhook-secret-0123456789abcdef"
LEAD_MS = 2000
RETRY_WITHIN = 10.0  # seconds: the contract says "exponential backoff", without numbers


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.mark.slow
def test_fired_reminder_is_posted_signed_and_retried_after_a_500(api, user, receiver):
    resp = api.put("/api/me/webhook", json={"url": receiver.url, "secret": SECRET})
    assert resp.status_code == 200, describe(resp)
    assert resp.json()["url"] == receiver.url and resp.json()["secret"] == SECRET, describe(resp)

    remind_ms = now_ms() + LEAD_MS
    task = create_task(api, title="Feed the cat", reminders=[{"at": iso_ms(remind_ms)}])
    wait_until(lambda: len(receiver.requests) >= 1, timeout=LEAD_MS / 1000 + 5, what="the webhook POST")
    wait_until(lambda: len(receiver.requests) >= 2, timeout=RETRY_WITHIN, what="the retry after a 500")
    # A 2xx ends the retries.
    assert_stays(lambda: len(receiver.requests) == 2, 1.5, what="no delivery after the 200")

    first, retry = receiver.requests
    assert first["at"] >= remind_ms - 5, f"delivered {remind_ms - first['at']:.0f} ms before remind_at"
    assert retry["at"] - first["at"] >= 500, f"retried {retry['at'] - first['at']:.0f} ms after a 500: no backoff"
    for req in (first, retry):
        assert req["path"] == "/hooks/tickler", req
        assert req["headers"].get("Content-Type", "").startswith("application/json"), req
        assert req["headers"].get("X-Tickler-Signature") == signature(req["body"]), req
        body = json.loads(req["body"])
        assert {"type", "reminder_id", "task_id", "user_id", "title", "remind_at", "fired_at"} <= set(body), body
        assert body["type"] == "tickler.reminder.fired.v1", body
        assert body["task_id"] == task["id"] and body["user_id"] == user.id, body
        assert body["title"] == "Feed the cat", body
        assert body["remind_at"] == iso_ms(remind_ms), body
        assert parse_ms(body["fired_at"]) >= remind_ms, body
    assert json.loads(first["body"])["reminder_id"] == json.loads(retry["body"])["reminder_id"]


def test_webhook_settings(api, make_user):
    resp = api.get("/api/me/webhook")
    assert_error(resp, 404, "not_found")
    resp = api.put("/api/me/webhook", json={"url": "http://127.0.0.1:9/hook"})
    assert resp.status_code == 200, describe(resp)
    generated = resp.json()["secret"]
    assert isinstance(generated, str) and 16 <= len(generated) <= 256, describe(resp)
    resp = api.get("/api/me/webhook")
    assert resp.status_code == 200, describe(resp)
    assert resp.json()["url"] == "http://127.0.0.1:9/hook" and "secret" not in resp.json(), describe(resp)
    assert_error(make_user().api.get("/api/me/webhook"), 404, "not_found")

    assert_validation(api.put("/api/me/webhook", json={"url": "ftp://127.0.0.1/x"}), "url")
    assert_validation(api.put("/api/me/webhook", json={"url": "http://127.0.0.1:9/hook", "secret": "short"}),
                      "secret")
    assert api.delete("/api/me/webhook").status_code == 204
    assert_error(api.get("/api/me/webhook"), 404, "not_found")


@pytest.mark.slow
def test_ipv6_literal_destination_is_delivered(api):
    """An IPv6 literal host ([::1]) is connected to as an address, not looked up as a name."""
    v6 = Receiver(statuses=(200,), family=socket.AF_INET6)
    try:
        resp = api.put("/api/me/webhook", json={"url": v6.url, "secret": SECRET})
        assert resp.status_code == 200, describe(resp)
        remind_ms = now_ms() + LEAD_MS
        create_task(api, title="Over IPv6", reminders=[{"at": iso_ms(remind_ms)}])
        wait_until(lambda: len(v6.requests) >= 1, timeout=LEAD_MS / 1000 + 5, what="the POST over IPv6")
        req = v6.requests[0]
        assert req["headers"].get("X-Tickler-Signature") == signature(req["body"]), req
        assert json.loads(req["body"])["title"] == "Over IPv6"
    finally:
        v6.close()


@pytest.mark.slow
def test_redirects_are_not_followed(api):
    """A 3xx is a failed delivery (retried later), never a request to the Location."""
    target = Receiver(statuses=(200,))
    redirect = Receiver(statuses=(302,), headers={"Location": target.url})
    try:
        resp = api.put("/api/me/webhook", json={"url": redirect.url, "secret": SECRET})
        assert resp.status_code == 200, describe(resp)
        remind_ms = now_ms() + LEAD_MS
        create_task(api, title="Redirected", reminders=[{"at": iso_ms(remind_ms)}])
        wait_until(lambda: len(redirect.requests) >= 2, timeout=LEAD_MS / 1000 + RETRY_WITHIN,
                   what="the first POST and its retry after a 302")
        assert target.requests == [], "the redirect was followed"
    finally:
        redirect.close()
        target.close()
