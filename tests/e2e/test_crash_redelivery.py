"""kill -9 right after a burst of writes, restart on the same data: events still unsent (or sent
but not yet marked so) are relayed again, and every effect still happens exactly once.

Which events a kill -9 catches in flight is luck (usually a handful), so a second variant also
marks every outbox row unsent before the restart, as if the server had died after each effect and
before the relay recorded it: every event is then delivered a second time to every consumer."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from e2e_support import cli_output, db_execute, find_tasks, history, iso_dt, run_cli, wait_until
from helpers import create_task, describe, signup, unique_word

BURST = 20
CREATED, COMPLETED = "tickler.task.created.v1", "tickler.task.completed.v1"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize("rewind_outbox", [False, True], ids=["killed", "killed-outbox-rewound"])
def test_every_effect_happens_exactly_once_after_kill_9(server_factory, tickler_bin, rewind_outbox):
    srv = server_factory()
    owner = signup(srv.base_url)
    word = unique_word("burst")
    due = datetime.combine(datetime.now(BERLIN).date() + timedelta(days=1), time(9, 0), tzinfo=BERLIN)
    originals = []
    for i in range(BURST):
        resp = owner.api.post("/api/tasks", json={
            "title": f"Burst {i} {word}", "due_at": iso_dt(due), "time_zone": "Europe/Berlin",
            "reminders": [{"before_minutes": 15}], "recurrence": {"rrule": "FREQ=DAILY", "mode": "schedule"}})
        assert resp.status_code == 201, describe(resp)
        originals.append(resp.json())
        resp = owner.api.post(f"/api/tasks/{originals[-1]['id']}/complete")
        assert resp.status_code == 200, describe(resp)
    srv.kill()  # SIGKILL: no drain, no graceful stop
    if rewind_outbox:
        _, rewound = db_execute(srv.data_dir, "UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL")
        assert rewound > 0

    srv = server_factory(data_dir=srv.data_dir)
    owner.api.base_url = srv.base_url  # same data, same JWT secret: the token is still valid
    # A barrier: the relay publishes in outbox order, so once this task's creation is in its
    # history, every event written before the restart has been delivered (again).
    marker = create_task(owner.api, title="Barrier " + unique_word())
    wait_until(lambda: history(owner.api, marker["id"]), timeout=10, what="the barrier's history")

    tasks = wait_until(lambda: (t := find_tasks(owner.api, word)) and len(t) >= 2 * BURST and t,
                       timeout=10, what=f"{BURST} next occurrences after the restart")
    by_series = Counter(t["series_id"] for t in tasks)
    assert len(tasks) == 2 * BURST, f"{len(tasks)} tasks for {BURST} completed recurring tasks"
    assert by_series == {t["id"]: 2 for t in originals}, f"tasks per series: {by_series}"
    successors = [t for t in tasks if t["occurrence_index"] == 1]
    assert sorted(t["series_id"] for t in successors) == sorted(t["id"] for t in originals), tasks

    # The auditor recorded each operation exactly once (redelivered events are de-duplicated).
    seen_event_ids = Counter()
    for task, types in [(t, [CREATED]) for t in successors] + [(t, [CREATED, COMPLETED]) for t in originals]:
        entries = history(owner.api, task["id"])
        assert [e["type"] for e in entries] == types, f"history of task {task['id']}: {entries}"
        seen_event_ids.update(e["event_id"] for e in entries)
    duplicated = {k: n for k, n in seen_event_ids.items() if n > 1}
    assert not duplicated, f"event ids recorded more than once: {duplicated}"

    assert srv.stop() == 0, srv.log_tail()
    proc = run_cli(tickler_bin, "audit", "verify", "--data", str(srv.data_dir))
    assert proc.returncode == 0, cli_output(proc)
