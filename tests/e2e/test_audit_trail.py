"""The audit trail: every change of a task in order, with the fields it changed, in a per-user hash
chain that `tickler audit verify` checks (exit 1, naming the entry, once the DB is tampered with)."""

from __future__ import annotations

import re

from e2e_support import cli_output, db_execute, parse_ms, run_cli, wait_history
from helpers import describe, signup, unique_word

TYPES = [f"tickler.task.{op}.v1" for op in ("created", "updated", "completed", "reopened", "deleted")]
FINAL_TITLE = "Final title"
ENTRY_KEYS = {"id", "event_id", "type", "actor", "at", "changes", "request_id", "hash"}


def run_lifecycle(owner) -> tuple[dict, list[dict], list[str]]:
    """Creates ("Draft", low), updates (to FINAL_TITLE, high), completes, reopens and deletes a
    task, each with its own X-Request-Id; returns the task, its full history and the request ids."""
    word = unique_word("audit")
    request_ids = [f"e2e-{word}-{op}" for op in ("create", "update", "complete", "reopen", "delete")]
    api = owner.api
    resp = api.post("/api/tasks", json={"title": "Draft", "priority": "low"},
                    headers={"X-Request-Id": request_ids[0]})
    assert resp.status_code == 201, describe(resp)
    task = resp.json()
    path = f"/api/tasks/{task['id']}"
    steps = [(api.patch, path, {"title": FINAL_TITLE, "priority": "high"}, 200),
             (api.post, path + "/complete", None, 200),
             (api.post, path + "/reopen", None, 200),
             (api.delete, path, None, 204)]
    for (call, url, body, status), request_id in zip(steps, request_ids[1:]):
        resp = call(url, json=body, headers={"X-Request-Id": request_id})
        assert resp.status_code == status, describe(resp)
    return task, wait_history(api, task["id"], TYPES), request_ids


def test_history_lists_each_change_in_order_with_its_changes(server, make_user):
    owner = make_user()
    task, entries, request_ids = run_lifecycle(owner)
    for entry in entries:
        assert ENTRY_KEYS <= set(entry), entry
        assert entry["actor"] == f"user:{owner.id}", entry
        assert isinstance(entry["hash"], str) and re.fullmatch(r"[0-9a-f]{64}", entry["hash"]), entry
    assert [e["request_id"] for e in entries] == request_ids, entries
    assert len({e["event_id"] for e in entries}) == 5, entries
    assert len({e["id"] for e in entries}) == 5, entries
    ats = [parse_ms(e["at"]) for e in entries]
    assert ats == sorted(ats), entries

    changes = entries[1]["changes"]
    assert changes.get("title") == {"before": "Draft", "after": FINAL_TITLE}, changes
    assert changes.get("priority") == {"before": "low", "after": "high"}, changes
    unchanged = {"description", "tags", "due_at", "status", "time_zone", "created_at"} & set(changes)
    assert not unchanged, f"fields that did not change are in the update's changes: {changes}"
    assert entries[2]["changes"].get("status") == {"before": "pending", "after": "completed"}, entries[2]
    assert entries[3]["changes"].get("status") == {"before": "completed", "after": "pending"}, entries[3]

    # The history stays after the task is gone, and is the owner's only.
    stranger = make_user()
    resp = stranger.api.get(f"/api/tasks/{task['id']}/history")
    assert resp.status_code == 404, describe(resp)


def lifecycle_then_stop(server_factory, tickler_bin):
    srv = server_factory()
    owner = signup(srv.base_url)
    task, entries, _ = run_lifecycle(owner)
    assert srv.stop() == 0, srv.log_tail()
    proc = run_cli(tickler_bin, "audit", "verify", "--data", str(srv.data_dir))
    assert proc.returncode == 0 and "intact" in proc.stdout, cli_output(proc)
    return srv.data_dir, owner, entries


def test_verify_names_an_edited_entry(server_factory, tickler_bin):
    data_dir, owner, entries = lifecycle_then_stop(server_factory, tickler_bin)
    edited = entries[1]["id"]
    _, n = db_execute(data_dir, "UPDATE audit_log SET changes = '{}' WHERE id = ?", (edited,))
    assert n == 1
    proc = run_cli(tickler_bin, "audit", "verify", "--data", str(data_dir))
    assert proc.returncode == 1, cli_output(proc)
    assert f"entry {edited} " in proc.stdout, cli_output(proc)


def test_verify_notices_the_newest_entry_deleted(server_factory, tickler_bin):
    data_dir, owner, entries = lifecycle_then_stop(server_factory, tickler_bin)
    _, n = db_execute(data_dir, "DELETE FROM audit_log WHERE id = ?", (entries[-1]["id"],))
    assert n == 1
    proc = run_cli(tickler_bin, "audit", "verify", "--data", str(data_dir))
    assert proc.returncode == 1, cli_output(proc)
    assert f"user {owner.id}" in proc.stdout, cli_output(proc)


def test_operations_that_change_nothing_record_nothing(server, make_user):
    owner = make_user()
    api = owner.api
    resp = api.post("/api/tasks", json={"title": "Idle"}, headers={"Idempotency-Key": "e2e-idle-1"})
    assert resp.status_code == 201, describe(resp)
    task = resp.json()
    path = f"/api/tasks/{task['id']}"
    replay = api.post("/api/tasks", json={"title": "Idle"}, headers={"Idempotency-Key": "e2e-idle-1"})
    assert replay.status_code == 201 and replay.headers.get("Idempotent-Replayed") == "true", describe(replay)
    for call, url, body in [(api.patch, path, {}), (api.post, path + "/reopen", None),
                            (api.post, path + "/complete", None), (api.post, path + "/complete", None)]:
        resp = call(url, json=body)
        assert resp.status_code == 200, describe(resp)
    assert api.delete(path).status_code == 204
    entries = wait_history(api, task["id"], [TYPES[0], TYPES[2], TYPES[4]])
    assert [e["type"] for e in entries] == [TYPES[0], TYPES[2], TYPES[4]], entries
