"""Start-up does not wait for the pending reminders, and paging them in loses none.

The data dir of a stopped server gets 200,000 scheduled reminders a day ahead, written straight
into the notifier's `reminders` table with sqlite3 (the rows the notifier writes from a
`tickler.reminder.scheduled.v1` event, named as the api names reminders, for a real user), plus
the reminders the test watches: 250 due at one instant (pages of 100 end inside it), 50 a few ms
apart, 3 overdue (due while the server was down) and one cancelled. The server starts with
`--reminder-window 2 --reminder-page 100`, so what comes due during the test is paged in while
it runs. /healthz answers within a second (the figure is printed) and only a page or two was
read by then; every watched reminder fires exactly once over the WebSocket, never early and
within a second, and so do reminders set through the API while the pager runs; the cancelled
ones and the far ones never fire.
"""

from __future__ import annotations

import sqlite3
import time

from e2e_support import WsClient, assert_still_before, db_path, db_query, iso_ms, now_ms, parse_ms, ws_url
from helpers import create_task, describe, signup

FAR = 200_000
SAME_INSTANT = 250
SPREAD = 50
OVERDUE = 3
SEEDED_TASKS = 10_000_000
ARGS = ("--reminder-window", "2", "--reminder-page", "100")
CLOCK_GRANULARITY_MS = 5
MAX_LATENESS_MS = 1000
HEALTHZ_BOUND_S = 1.0


def reminder_id(task_id: int, at_ms: int) -> str:
    return f"t{task_id}-{at_ms}"  # as the api names a task's reminder at an instant


def seed(data_dir, user_id: int, rows) -> None:
    """rows: (task id, remind_at ms, state); one reminder each, named as the api names them."""
    con = sqlite3.connect(db_path(data_dir), timeout=10)
    try:
        with con:
            con.executemany(
                "INSERT INTO reminders (id, task_id, user_id, title, due_at, remind_at, state, created_at) "
                "VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
                ((reminder_id(task, at), task, user_id, "Seeded", at, state, at - 86_400_000)
                 for task, at, state in rows))
    finally:
        con.close()


def metric(api, name: str) -> float:
    resp = api.get("/metrics")
    assert resp.status_code == 200, describe(resp)
    for line in resp.text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"no {name} in /metrics")


def collect_notifications(client: WsClient, complete, deadline: float) -> dict[str, list[tuple[float, dict]]]:
    """Notifications by reminder id (arrival, notification) until complete(arrivals) holds and one
    more second has passed (a second firing would show up), or until the deadline."""
    arrivals: dict[str, list[tuple[float, dict]]] = {}
    while (got := client.next(deadline - time.monotonic())) is not None:
        at, msg = got
        if msg.get("type") != "notification":
            continue
        note = msg["notification"]
        arrivals.setdefault(note["reminder_id"], []).append((at, note))
        if complete(arrivals):
            deadline = min(deadline, time.monotonic() + 1.0)
    return arrivals


def test_start_up_is_fast_over_many_pending_reminders_and_paging_loses_none(server_factory):
    srv = server_factory(extra_args=ARGS)
    owner = signup(srv.base_url)
    assert srv.stop() == 0, srv.log_tail()

    # Seeded reminders belong to tasks numbered from SEEDED_TASKS on (the notifier's rows name
    # a task; it does not look it up).
    far_ms = now_ms() + 86_400_000
    seed(srv.data_dir, owner.id, ((SEEDED_TASKS + i, far_ms + i, "scheduled") for i in range(FAR)))
    base = now_ms()
    tasks = iter(range(SEEDED_TASKS + FAR, SEEDED_TASKS + 2 * FAR))
    watched = {(next(tasks), base + 4000) for _ in range(SAME_INSTANT)}
    watched |= {(next(tasks), base + 4500 + 7 * i) for i in range(SPREAD)}
    overdue = {(next(tasks), base - 60_000 + i) for i in range(OVERDUE)}
    cancelled = (next(tasks), base + 4000)
    seed(srv.data_dir, owner.id,
         [(task, at, "scheduled") for task, at in watched | overdue] + [(*cancelled, "cancelled")])
    watched = {reminder_id(*r) for r in watched}
    overdue = {reminder_id(*r) for r in overdue}

    started = time.monotonic()
    srv = server_factory(data_dir=srv.data_dir, extra_args=ARGS)
    healthz_s = time.monotonic() - started
    print(f"\n/healthz answered {healthz_s * 1000:.0f} ms after the start over "
          f"{FAR + len(watched) + OVERDUE} scheduled reminders")
    assert healthz_s < HEALTHZ_BOUND_S, f"/healthz took {healthz_s:.2f} s; log:\n{srv.log_tail()}"
    owner.api.base_url = srv.base_url
    assert metric(owner.api, "tickler_reminder_pager_rows_total") < 1000  # not the 200,000

    client = WsClient(ws_url(srv.base_url, owner.token))
    try:
        client.hello()
        # Set and cleared through the API while the pager runs: one within the loaded window, one
        # beyond it; one cleared before it was paged in, one after it was handed over.
        soon_ms = now_ms() + 1200
        soon = create_task(owner.api, reminders=[{"at": iso_ms(soon_ms)}])
        later = create_task(owner.api, reminders=[{"at": iso_ms(base + 5000)}])
        cleared_early = create_task(owner.api, reminders=[{"at": iso_ms(base + 4200)}])
        cleared_late = create_task(owner.api, reminders=[{"at": iso_ms(now_ms() + 1500)}])
        for t in (cleared_early, cleared_late):
            resp = owner.api.patch(f"/api/tasks/{t['id']}", json={"reminders": []})
            assert resp.status_code == 200, describe(resp)
        assert_still_before(min(soon_ms, base + 4000) - 100, "setting and clearing reminders through the API")
        api_due = {soon["id"]: soon_ms, later["id"]: base + 5000}

        def complete(arrivals) -> bool:
            tasks = {got[0][1]["task_id"] for got in arrivals.values()}
            return set(watched) <= set(arrivals) and set(api_due) <= tasks

        arrivals = collect_notifications(client, complete,
                                         time.monotonic() + (base + 5000 - now_ms()) / 1000 + 5)
    finally:
        client.close()

    missing = sorted(set(watched) - set(arrivals))
    assert not missing, f"{len(missing)} watched reminders never fired, e.g. {missing[:5]}"
    by_task = {got[0][1]["task_id"]: rid for rid, got in arrivals.items() if got[0][1]["task_id"] < SEEDED_TASKS}
    assert set(by_task) == set(api_due), (by_task, api_due)
    unexpected = sorted(set(arrivals) - set(watched) - set(overdue) - set(by_task.values()))
    assert not unexpected, f"fired but never due during the test: {unexpected[:5]}"
    for rid, got in arrivals.items():
        assert len(got) == 1, f"{rid} fired {len(got)} times"
        at, note = got[0]
        remind_ms = parse_ms(note["remind_at"])
        assert parse_ms(note["fired_at"]) >= remind_ms, f"fired before its time: {note}"
        if rid in overdue:
            continue
        assert at >= remind_ms - CLOCK_GRANULARITY_MS, f"{rid} arrived {remind_ms - at:.0f} ms early"
        assert at <= remind_ms + MAX_LATENESS_MS, f"{rid} arrived {at - remind_ms:.0f} ms late"

    # The overdue ones fired once at start (possibly before the WebSocket connected).
    assert srv.stop() == 0, srv.log_tail()
    fired = dict(db_query(srv.data_dir, "SELECT reminder_id, COUNT(*) FROM notifications GROUP BY reminder_id"))
    assert {rid: fired.get(rid) for rid in overdue} == {rid: 1 for rid in overdue}
    assert len(fired) == len(watched) + len(overdue) + len(api_due), len(fired)
    states = dict(db_query(srv.data_dir, "SELECT state, COUNT(*) FROM reminders GROUP BY state"))
    assert states.get("scheduled") == FAR, states
