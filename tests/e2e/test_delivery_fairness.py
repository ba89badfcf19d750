"""One user's dead destinations cannot delay another user's deliveries.

- Webhook: user A has 50 reminders due at T to a webhook that accepts the connection and never
  answers; user B has one due at T to a healthy receiver. B's webhook POST and B's in-app notice
  arrive within 1 s of T.
- Web Push and ntfy: a hostile user has the most push subscriptions a user may have (10), each
  on a loopback address of its own (10 destination hosts: the per-host bound does not hold them
  back), half of them hanging (accept, never answer) and half answering after 3 s, and an ntfy
  server that hangs; 20 reminders due at T. A normal user's push (decrypted) and ntfy publish
  for a reminder at T arrive within 1.5 s of T.
- The same user with 10 hanging webhooks more (21 hosts, more than the 16 delivery workers), due
  0.5 s earlier: the same bound holds, as one user's deliveries in flight are bounded (4, of 16
  workers), whatever the number of hosts their destinations are on.
In both, the hostile user's destinations see at least 3 and at most 4 attempts at once (the
per-user bound; one channel kind takes at most 3 of the 4) while the normal user's arrive."""

from __future__ import annotations

import pytest

from conftest import LOOPBACK_DESTINATIONS
from e2e_support import assert_still_before, iso_ms, now_ms, parse_ms, wait_until
from helpers import create_task, describe, signup
from ntfy_support import NtfyStandIn
from push_support import Browser
from webhook_receivers import BlackHole, Receiver

A_REMINDERS = 50
LEAD_MS = 4000
HOSTILE_SUBSCRIPTIONS = 10  # the most a user may have
HOSTILE_REMINDERS = 20
SLOW_ANSWER_S = 3.0
USER_BOUND = 4  # one user's deliveries in flight at once (DispatchLimits::per_user)


@pytest.mark.slow
def test_a_dead_webhook_of_one_user_does_not_delay_another(server):
    hole = BlackHole()
    healthy = Receiver(statuses=(200,))
    try:
        a = signup(server.base_url)
        b = signup(server.base_url)
        assert a.api.put("/api/me/webhook", json={"url": hole.url}).status_code == 200
        assert b.api.put("/api/me/webhook", json={"url": healthy.url}).status_code == 200

        due_ms = now_ms() + LEAD_MS
        for i in range(A_REMINDERS):
            create_task(a.api, title=f"A {i}", reminders=[{"at": iso_ms(due_ms)}])
        task_b = create_task(b.api, title="B's reminder", reminders=[{"at": iso_ms(due_ms)}])
        assert_still_before(due_ms, "creating the 51 reminders")

        wait_until(lambda: healthy.requests, timeout=LEAD_MS / 1000 + 5, what="B's webhook POST")
        late_ms = healthy.requests[0]["at"] - due_ms
        assert 0 <= late_ms <= 1000, f"B's webhook arrived {late_ms:.0f} ms after its time"

        def b_notice():
            resp = b.api.get("/api/notifications")
            assert resp.status_code == 200, describe(resp)
            return [n for n in resp.json()["items"] if n["task_id"] == task_b["id"]]

        notice = wait_until(b_notice, timeout=5, what="B's in-app notice")[0]
        fired_late = parse_ms(notice["fired_at"]) - due_ms
        assert 0 <= fired_late <= 1000, f"B's notice fired {fired_late} ms after its time"
        # A's deliveries are really stuck on the dead destination (the test means something).
        wait_until(lambda: hole.accepted, timeout=5, what="A's webhook connection")
    finally:
        hole.close()
        healthy.close()


def assert_hostile_user_does_not_delay_normal_push_and_ntfy(srv, hostile_webhooks: int = 0,
                                                             head_start_ms: int = 0) -> None:
    """The push / ntfy scenario of the module's docstring; with `hostile_webhooks`, the hostile
    user also has that many webhooks that never answer, each on a loopback address of its own,
    and with `head_start_ms` the hostile reminders are due that much before the normal one."""
    half = HOSTILE_SUBSCRIPTIONS // 2
    holes = [BlackHole(host=f"127.0.0.{2 + k}") for k in range(half)]
    slow = [Receiver(statuses=(201,), delay=SLOW_ANSWER_S, host=f"127.0.0.{2 + half + k}")
            for k in range(HOSTILE_SUBSCRIPTIONS - half)]
    ntfy_hole = BlackHole(host=f"127.0.0.{2 + HOSTILE_SUBSCRIPTIONS}")
    hook_holes = [BlackHole(host=f"127.0.0.{3 + HOSTILE_SUBSCRIPTIONS + k}") for k in range(hostile_webhooks)]
    push_service, ntfy = Receiver(statuses=(201,)), NtfyStandIn()
    try:
        hostile, normal = signup(srv.base_url), signup(srv.base_url)
        for n, url in enumerate([h.url for h in holes] + [r.url for r in slow]):
            resp = hostile.api.post("/api/me/channels/push", json=Browser(f"{url}/{n}").subscription)
            assert resp.status_code == 201, describe(resp)
        resp = hostile.api.put("/api/me/channels/ntfy", json={"server": ntfy_hole.url.rsplit("/", 1)[0],
                                                              "topic": "hostile"})
        assert resp.status_code == 200, describe(resp)
        for hole in hook_holes:
            resp = hostile.api.post("/api/me/channels/webhooks", json={"url": hole.url})
            assert resp.status_code == 201, describe(resp)
        browser = Browser(push_service.url)
        assert normal.api.post("/api/me/channels/push", json=browser.subscription).status_code == 201
        resp = normal.api.put("/api/me/channels/ntfy", json={"server": ntfy.url, "topic": "normal"})
        assert resp.status_code == 200, describe(resp)

        due_ms = now_ms() + LEAD_MS
        for i in range(HOSTILE_REMINDERS):
            create_task(hostile.api, title=f"hostile {i}", reminders=[{"at": iso_ms(due_ms - head_start_ms)}])
        task = create_task(normal.api, title="normal", reminders=[{"at": iso_ms(due_ms)}])
        assert_still_before(due_ms - head_start_ms, "creating the reminders")

        wait_until(lambda: push_service.requests, timeout=LEAD_MS / 1000 + 10, what="the normal user's push")
        wait_until(lambda: ntfy.requests, timeout=10, what="the normal user's ntfy publish")
        push_late, ntfy_late = push_service.requests[0]["at"] - due_ms, ntfy.requests[0]["at"] - due_ms
        print(f"normal user: push {push_late:.0f} ms, ntfy {ntfy_late:.0f} ms after its time")
        assert browser.decrypt(push_service.requests[0]["body"])["task_id"] == task["id"]
        assert [m["topic"] for m in ntfy.messages] == ["normal"], ntfy.messages
        assert 0 <= push_late <= 1500, f"the normal user's push came {push_late:.0f} ms after its time"
        assert 0 <= ntfy_late <= 1500, f"the normal user's ntfy publish came {ntfy_late:.0f} ms after its time"
        # The hostile user's deliveries were really held (the test means something), and no more
        # than the per-user bound of them at once: none has ended yet (the first slow answer comes
        # 3 s after the hostile reminders' time, at least 1 s from now).
        def hostile_attempts() -> int:
            return (sum(len(h.accepted) for h in (*holes, ntfy_hole, *hook_holes))
                    + sum(len(r.requests) for r in slow))

        wait_until(lambda: hostile_attempts() >= USER_BOUND - 1, timeout=2, what="the hostile attempts")
        assert hostile_attempts() <= USER_BOUND, f"{hostile_attempts()} hostile attempts at once"
    finally:
        for closable in (*holes, *slow, ntfy_hole, *hook_holes, push_service, ntfy):
            closable.close()


@pytest.mark.slow
def test_hostile_push_subscriptions_and_ntfy_server_do_not_delay_another_user(server_factory):
    assert_hostile_user_does_not_delay_normal_push_and_ntfy(server_factory(extra_args=LOOPBACK_DESTINATIONS))


@pytest.mark.slow
def test_hostile_push_ntfy_and_webhooks_on_many_hosts_do_not_delay_another_user(server_factory):
    """10 hanging / slow push subscriptions, 10 hanging webhooks and a hanging ntfy server of one
    user, each on a host of its own, due 0.5 s before the normal user's reminder."""
    assert_hostile_user_does_not_delay_normal_push_and_ntfy(server_factory(extra_args=LOOPBACK_DESTINATIONS),
                                                             hostile_webhooks=10, head_start_ms=500)
