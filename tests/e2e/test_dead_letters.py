"""A poison event (a task event without task_id/user_id, written straight into the outbox of a
stopped server) is dead-lettered by the auditor; `tickler dlq redrive` delivers it again to that
subscriber only, with the same event id, and being still poison it is dead-lettered again."""

from __future__ import annotations

import re

from e2e_support import cli_output, db_execute, db_query, now_ms, run_cli, wait_until
from helpers import signup

POISON_DATA = '{"not":"a task event"}'
# `tickler dlq list` prints, per dead letter:
#   #<id>  event <event id>  <type>  subscriber <name>  at <instant>[  redriven <instant>]
#       error: <why>
#       data: <event data>
LETTER_RE = re.compile(
    r"^#(?P<id>\d+)  event (?P<event>\S+)  (?P<type>\S+)  subscriber (?P<subscriber>\S+)  at (?P<at>\S+)"
    r"(?:  redriven (?P<redriven>\S+))?\n    error: (?P<error>.*)\n    data: (?P<data>.*)$", re.M)
COUNT_RE = re.compile(r"^(\d+) dead letter\(s\)", re.M)


def dlq_list(binary, data_dir, *flags) -> list[dict]:
    proc = run_cli(binary, "dlq", "list", *flags, "--data", str(data_dir))
    assert proc.returncode == 0, cli_output(proc)
    letters = [m.groupdict() for m in LETTER_RE.finditer(proc.stdout)]
    count = COUNT_RE.search(proc.stdout)
    assert count and int(count.group(1)) == len(letters), cli_output(proc)
    return letters


def test_poison_event_is_dead_lettered_and_redriven_with_the_same_id(server_factory, tickler_bin):
    srv = server_factory()
    owner = signup(srv.base_url)
    assert srv.stop() == 0, srv.log_tail()
    poison_id, _ = db_execute(
        srv.data_dir,
        "INSERT INTO outbox (topic, type, source, subject, user_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("task-events", "tickler.task.created.v1", "tests/e2e", "poison", owner.id, POISON_DATA, now_ms()))
    assert dlq_list(tickler_bin, srv.data_dir, "--all") == []

    srv = server_factory(data_dir=srv.data_dir)
    letters = wait_until(lambda: dlq_list(tickler_bin, srv.data_dir), what="the dead letter")
    assert len(letters) == 1, letters  # the recurrer ignores created events: only the auditor refuses it
    first = letters[0]
    assert first["subscriber"] == "auditor", first
    assert first["event"] == str(poison_id), first
    assert first["type"] == "tickler.task.created.v1", first
    assert first["data"] == POISON_DATA, first
    assert "task_id" in first["error"], first
    assert first["redriven"] is None, first

    proc = run_cli(tickler_bin, "dlq", "redrive", "--all", "--data", str(srv.data_dir))
    assert proc.returncode == 0, cli_output(proc)
    assert "redriven: 1" in proc.stdout, cli_output(proc)

    every = wait_until(lambda: (d := dlq_list(tickler_bin, srv.data_dir, "--all")) and len(d) >= 2 and d,
                       what="the redriven event to be dead-lettered again")
    assert len(every) == 2, every
    old = next(d for d in every if d["id"] == first["id"])
    new = next(d for d in every if d["id"] != first["id"])
    assert old["redriven"] is not None, old
    assert new["redriven"] is None, new
    assert new["event"] == first["event"], f"the redriven event got a new id: {new} vs {first}"
    assert new["subscriber"] == "auditor" and new["data"] == POISON_DATA, new
    assert "task_id" in new["error"], new
    assert [d["id"] for d in dlq_list(tickler_bin, srv.data_dir)] == [new["id"]]

    # Nothing left to redrive by id: the first one is done.
    proc = run_cli(tickler_bin, "dlq", "redrive", first["id"], "--data", str(srv.data_dir))
    assert proc.returncode == 1, cli_output(proc)


DAY_MS = 86_400_000
DEFAULT_PROCESSED_EVENTS_RETENTION_S = 3_628_800  # 42 days: docs/architecture.md, "Retention"


def test_a_dead_letter_older_than_the_processed_events_retention_is_not_redriven(server_factory, tickler_bin):
    """Its consumer may have forgotten whether it processed the event (processed_events is pruned
    past that horizon), so a redrive could apply it twice: refused by id, skipped by --all."""
    srv = server_factory()
    owner = signup(srv.base_url)
    assert srv.stop() == 0, srv.log_tail()
    letter = ("auditor", "task-events", "tickler.task.created.v1", "tests/e2e", "aged", owner.id, POISON_DATA,
              "poison")
    insert = ("INSERT INTO dead_letters (event_id, subscriber, topic, type, source, subject, user_id, data, error, "
              "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    old_id, _ = db_execute(srv.data_dir, insert, ("old-event", *letter, now_ms() - 50 * DAY_MS))
    young_id, _ = db_execute(srv.data_dir, insert, ("young-event", *letter, now_ms() - 40 * DAY_MS))

    proc = run_cli(tickler_bin, "dlq", "redrive", str(old_id), "--data", str(srv.data_dir))
    assert proc.returncode == 1, cli_output(proc)
    assert f"refused: dead letter #{old_id}" in proc.stderr, cli_output(proc)
    assert f"processed-events retention of {DEFAULT_PROCESSED_EVENTS_RETENTION_S} s" in proc.stderr, cli_output(proc)
    assert "--processed-events-retention" in proc.stderr, cli_output(proc)
    assert "twice" in proc.stderr, cli_output(proc)

    proc = run_cli(tickler_bin, "dlq", "redrive", "--all", "--data", str(srv.data_dir))
    assert proc.returncode == 0, cli_output(proc)
    assert "redriven: 1" in proc.stdout, cli_output(proc)
    assert "skipped 1 dead letter(s) dead-lettered before" in proc.stderr, cli_output(proc)
    redriven = db_query(srv.data_dir, "SELECT event_id, target FROM outbox WHERE target IS NOT NULL")
    assert redriven == [("young-event", "auditor")], redriven
    assert [d["id"] for d in dlq_list(tickler_bin, srv.data_dir)] == [str(old_id)]

    # With a longer retention (the operator's consumers keep 60 days) the old one may go too.
    proc = run_cli(tickler_bin, "dlq", "redrive", str(old_id), "--processed-events-retention", str(60 * 86_400),
                   "--data", str(srv.data_dir))
    assert proc.returncode == 0, cli_output(proc)
    assert "redriven: 1" in proc.stdout, cli_output(proc)
    assert dlq_list(tickler_bin, srv.data_dir) == []
    assert young_id != old_id
