"""/metrics shows the event machinery: the outbox backlog (drains to 0) and the lateness of every
fired reminder (tickler_reminder_fire_lateness_seconds)."""

from __future__ import annotations

import re

from e2e_support import iso_ms, now_ms, wait_until
from helpers import Api, create_task, describe


def sample(text: str, name: str) -> float | None:
    m = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.M)
    return float(m.group(1)) if m else None


def metrics(server) -> str:
    resp = Api(server.base_url).get("/metrics")
    assert resp.status_code == 200, describe(resp)
    return resp.text


def test_the_outbox_backlog_is_exported_and_drains(server_factory, make_user):
    server = server_factory()  # its own server: no other test's events or reminders
    user = make_user(server)
    create_task(user.api, title="Backlog")
    text = wait_until(lambda: (t := metrics(server)) and sample(t, "tickler_outbox_pending_events") == 0 and t,
                      timeout=10, what="an empty outbox")
    assert sample(text, "tickler_outbox_oldest_pending_age_seconds") == 0, text


def test_a_fired_reminder_is_counted_with_its_lateness(server_factory, make_user):
    server = server_factory()
    count = "tickler_reminder_fire_lateness_seconds_count"
    within_a_second = 'tickler_reminder_fire_lateness_seconds_bucket{le="1"}'
    before = metrics(server)
    user = make_user(server)
    create_task(user.api, title="Count me", reminders=[{"at": iso_ms(now_ms() + 500)}])
    after = wait_until(lambda: (t := metrics(server)) and sample(t, count) > sample(before, count) and t,
                       timeout=10, what="the reminder counted")
    assert sample(after, count) == sample(before, count) + 1, after
    assert sample(after, within_a_second) == sample(before, within_a_second) + 1, after
