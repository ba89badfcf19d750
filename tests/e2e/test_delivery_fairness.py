"""One user's dead destination cannot delay another user's deliveries: user A has 50 reminders due
at T to a webhook that accepts the connection and never answers; user B has one due at T to a
healthy receiver. B's webhook POST and B's in-app notice arrive within 1 s of T."""

from __future__ import annotations

import pytest

from e2e_support import assert_still_before, iso_ms, now_ms, parse_ms, wait_until
from helpers import create_task, describe, signup
from webhook_receivers import BlackHole, Receiver

A_REMINDERS = 50
LEAD_MS = 4000


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
