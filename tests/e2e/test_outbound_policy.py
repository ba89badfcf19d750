"""The outbound-destination policy at send time: a destination allowed when its URL was saved and
refused when a reminder is delivered is checked on the address the request would connect to,
recorded as a failed attempt, and never contacted. (Refusal when saved: tests/api.)"""

from __future__ import annotations

import pytest

from e2e_support import db_query, iso_ms, now_ms, wait_until
from helpers import create_task, describe, signup
from webhook_receivers import Receiver


@pytest.mark.slow
def test_destination_refused_at_send_time_is_never_contacted(server_factory, tmp_path):
    """Saved while the operator allowed loopback; delivered after the allowance is gone (as a name
    that resolved public at save time and private at send time): refused on the address it would
    connect to, recorded as a failed attempt, and the receiver gets nothing."""
    receiver = Receiver(statuses=(200,))
    data = tmp_path / "data"
    try:
        allowed = server_factory(data_dir=data, extra_args=["--allowed-destinations", "127.0.0.0/8"])
        user = signup(allowed.base_url)
        resp = user.api.put("/api/me/webhook", json={"url": receiver.url})
        assert resp.status_code == 200, describe(resp)
        assert allowed.stop() == 0

        strict = server_factory(data_dir=data)
        user.api.base_url = strict.base_url
        remind_ms = now_ms() + 1500
        create_task(user.api, title="Rebound", reminders=[{"at": iso_ms(remind_ms)}])

        def failed_attempt():
            rows = db_query(data, "SELECT attempts, last_error FROM deliveries WHERE channel = 'webhook'")
            return rows if rows and rows[0][0] >= 1 else None

        rows = wait_until(failed_attempt, timeout=10, what="a failed webhook attempt")
        assert "destination refused: 127.0.0.1 is loopback" in rows[0][1], rows
        assert receiver.requests == [], "the refused destination was contacted"
    finally:
        receiver.close()
