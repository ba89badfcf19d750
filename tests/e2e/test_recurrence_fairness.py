"""One user's recurrence rule cannot stall the event pipeline.

A rule that expands to every second of the day, due in the year 2000, is refused when written (422
on `recurrence`), never found later on the shared consumer path. User A then takes the costliest
rule the server accepts (daily from 2000: the next occurrence is over 9,000 occurrences away) and
completes and reopens it 25 times in about a second, while user B writes tasks: B's api → audit
and api → WebSocket latencies stay within 200 ms, and none of A's accepted writes dead-letters."""

from __future__ import annotations

import threading
import time

import pytest

from e2e_support import WsClient, history, now_ms, run_cli, ws_url
from helpers import assert_validation, create_task, describe, signup

B_WRITES = 20
CYCLES = 25


def every_second_rule() -> str:
    hours = ",".join(str(h) for h in range(24))
    minutes = ",".join(str(m) for m in range(60))
    return f"FREQ=DAILY;BYHOUR={hours};BYMINUTE={minutes};BYSECOND={minutes}"


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


@pytest.mark.slow
def test_a_costly_rule_of_one_user_does_not_delay_another(server_factory, tickler_bin):
    srv = server_factory()
    a = signup(srv.base_url)
    b = signup(srv.base_url)

    refused = a.api.post("/api/tasks", json={
        "title": "Every second", "due_at": "2000-01-01T00:00:00Z", "time_zone": "UTC",
        "recurrence": {"rrule": every_second_rule(), "mode": "schedule"}})
    err = assert_validation(refused, "recurrence")
    assert "repeats too often" in err["details"]["problem"], describe(refused)

    costly = create_task(a.api, title="Daily since 2000", due_at="2000-01-01T09:00:00Z",
                         time_zone="Europe/Berlin",
                         recurrence={"rrule": "FREQ=DAILY", "mode": "schedule"})

    a_errors: list[str] = []

    def hammer():
        for _ in range(CYCLES):
            for action in ("complete", "reopen"):
                resp = a.api.post(f"/api/tasks/{costly['id']}/{action}")
                if resp.status_code != 200:
                    a_errors.append(describe(resp))
            time.sleep(0.02)

    ws = WsClient(ws_url(srv.base_url, b.token))
    ws.hello()
    audit_ms: list[float] = []
    live_ms: list[float] = []
    attacker = threading.Thread(target=hammer)
    try:
        attacker.start()
        for i in range(B_WRITES):
            sent = now_ms()
            task = create_task(b.api, title=f"B {i}")
            answered = now_ms()
            at, _ = ws.wait_for(lambda m, t=task["id"]: m.get("type") == "task" and m.get("op") == "created"
                                and m["task"]["id"] == t, timeout=5, what=f"B's task {i} live")
            live_ms.append(at - answered)
            deadline = time.monotonic() + 5
            while not history(b.api, task["id"]):
                assert time.monotonic() < deadline, f"no audit entry for B's task {i}"
                time.sleep(0.005)
            audit_ms.append(now_ms() - answered)
            time.sleep(max(0.0, 0.1 - (now_ms() - sent) / 1000))
    finally:
        attacker.join(timeout=60)
        ws.close()
    assert not a_errors, a_errors
    assert p99(live_ms) <= 200, f"api → WebSocket p99 {p99(live_ms):.0f} ms: {sorted(live_ms)}"
    assert p99(audit_ms) <= 200, f"api → audit p99 {p99(audit_ms):.0f} ms: {sorted(audit_ms)}"
    print(f"B under A's load: api → WebSocket p99 {p99(live_ms):.0f} ms, api → audit p99 "
          f"{p99(audit_ms):.0f} ms")

    srv.stop()
    letters = run_cli(tickler_bin, "dlq", "list", "--all", "--data", str(srv.data_dir))
    assert letters.returncode == 0, letters.stderr
    assert letters.stdout.startswith("0 dead letter(s)"), letters.stdout
