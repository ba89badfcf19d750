"""What a reconnecting WebSocket client gets when the server kept less than it missed: the
messages older than `--replay-max-age`, or dropped for space (`--replay-bytes-per-user`, or
`--replay-bytes` taking the user updated least recently first), make the resume a `resync` and
nothing else — never a silent hole; what is still kept is replayed exactly, in order; and the
bytes held stay within the budget (`tickler_realtime_replay_bytes`)."""

from __future__ import annotations

import time

import pytest

from e2e_support import WsClient, ws_url
from helpers import create_task, describe, signup

BUDGET = 16_384
PER_USER = 8_192


@pytest.fixture
def clients():
    opened: list[WsClient] = []

    def connect(base_url: str, token: str, **params) -> WsClient:
        c = WsClient(ws_url(base_url, token, **params))
        opened.append(c)
        return c

    yield connect
    for c in opened:
        c.close()


def is_task(task_id: int, title: str | None = None):
    return lambda m: (m.get("type") == "task" and m["task"]["id"] == task_id
                      and (title is None or m["task"]["title"] == title))


def rename(owner, task: dict, title: str) -> None:
    resp = owner.api.patch(f"/api/tasks/{task['id']}", json={"title": title})
    assert resp.status_code == 200, describe(resp)


def seen_then_closed(base_url: str, owner, clients) -> tuple[dict, dict, dict, WsClient]:
    """A client sees one change of a new task and goes away; a second one stays connected (it
    shows when the server has published what the first misses). (hello, last seen, task, watcher)"""
    watcher = clients(base_url, owner.token)
    first = clients(base_url, owner.token)
    hello = first.hello()
    watcher.hello()
    task = create_task(owner.api, title="first")
    _, seen = first.wait_for(is_task(task["id"]), what="the created message")
    first.close()
    return hello, seen, task, watcher


def resume(base_url: str, owner, clients, hello: dict, seen: dict) -> list[dict]:
    again = clients(base_url, owner.token, since=seen["sequence"], epoch=hello["epoch"])
    assert again.hello()["epoch"] == hello["epoch"]
    return again.drain(0.5)


def replay_bytes(api) -> int:
    resp = api.get("/metrics")
    assert resp.status_code == 200, describe(resp)
    for line in resp.text.splitlines():
        if line.startswith("tickler_realtime_replay_bytes "):
            return int(float(line.split()[1]))
    raise AssertionError("no tickler_realtime_replay_bytes in /metrics")


def test_a_resume_past_the_maximum_age_is_told_to_resync(server_factory, clients):
    srv = server_factory(extra_args=("--replay-max-age", "1"))
    owner = signup(srv.base_url)
    hello, seen, task, watcher = seen_then_closed(srv.base_url, owner, clients)
    rename(owner, task, "missed")
    watcher.wait_for(is_task(task["id"], "missed"), what="the missed change on the other connection")

    kept = resume(srv.base_url, owner, clients, hello, seen)  # within the age: exactly the change
    assert [(m["type"], m["task"]["title"]) for m in kept] == [("task", "missed")], kept
    time.sleep(1.5)
    assert [m["type"] for m in resume(srv.base_url, owner, clients, hello, seen)] == ["resync"]


def test_a_resume_after_its_messages_were_dropped_for_space_is_told_to_resync(server_factory, clients):
    srv = server_factory(extra_args=("--replay-bytes", str(BUDGET), "--replay-bytes-per-user", str(PER_USER)))
    owner = signup(srv.base_url)

    # Past the user's own share: the oldest of what it missed went first.
    hello, seen, task, watcher = seen_then_closed(srv.base_url, owner, clients)
    for i in range(40):
        rename(owner, task, f"change {i}")
    watcher.wait_for(is_task(task["id"], "change 39"), what="the last change on the other connection")
    assert [m["type"] for m in resume(srv.base_url, owner, clients, hello, seen)] == ["resync"]
    # A resume from a recent message is still exact, in order.
    recent = [m for _, m in watcher.received if m.get("type") == "task"][-4]
    replayed = resume(srv.base_url, owner, clients, hello, recent)
    assert [m["task"]["title"] for m in replayed] == ["change 37", "change 38", "change 39"], replayed

    # Others' updates pass the budget: the user updated least recently loses what it had kept.
    hello, seen, task, watcher = seen_then_closed(srv.base_url, owner, clients)
    rename(owner, task, "missed")
    watcher.wait_for(is_task(task["id"], "missed"), what="the missed change")
    assert [m["task"]["title"] for m in resume(srv.base_url, owner, clients, hello, seen)] == ["missed"]
    for n in range(2):
        other = signup(srv.base_url)
        other_watcher = clients(srv.base_url, other.token)
        other_watcher.hello()
        other_task = create_task(other.api)
        for i in range(30):
            rename(other, other_task, f"other {n} {i}")
        other_watcher.wait_for(is_task(other_task["id"], f"other {n} 29"), what="the other user's last change")
    assert [m["type"] for m in resume(srv.base_url, owner, clients, hello, seen)] == ["resync"]
    assert replay_bytes(owner.api) <= BUDGET
