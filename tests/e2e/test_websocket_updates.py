"""/api/ws: every connection of a user gets the user's task changes (and nobody else's); a client
reconnecting with since + epoch gets what it missed, or `resync` when the epoch is not the
server's; an upgrade without a valid token is refused with 401."""

from __future__ import annotations

import pytest
import websocket

from e2e_support import WsClient, ws_url
from helpers import assert_error, create_task, token_for

QUIET_SECONDS = 1.0


def is_created(task_id: int):
    return lambda m: m.get("type") == "task" and m.get("op") == "created" and m.get("task", {}).get("id") == task_id


@pytest.fixture
def clients():
    opened: list[WsClient] = []

    def connect(base_url: str, token: str | None, **params) -> WsClient:
        opened.append(WsClient(ws_url(base_url, token, **params)))
        return opened[-1]

    yield connect
    for c in opened:
        c.close()


def test_hello_comes_first(server, user, clients):
    c = clients(server.base_url, user.token)
    _, first = c.wait_for(lambda m: True, what="the first message")
    assert first.get("type") == "hello", first
    assert isinstance(first.get("epoch"), str) and first["epoch"], first
    assert isinstance(first.get("sequence"), int) and first["sequence"] >= 0, first


def test_every_connection_of_the_user_gets_the_change_and_no_one_else(server, make_user, clients):
    owner, other = make_user(), make_user()
    a, b = clients(server.base_url, owner.token), clients(server.base_url, owner.token)
    stranger = clients(server.base_url, other.token)
    hellos = [c.hello() for c in (a, b, stranger)]

    task = create_task(owner.api)
    got = [c.wait_for(is_created(task["id"]), what=f"the created message of task {task['id']}")[1] for c in (a, b)]
    for msg in got:
        assert msg["task"] == task, msg
        assert msg["version"] == task["version"] == 1, msg
        assert isinstance(msg["sequence"], int) and msg["sequence"] > hellos[0]["sequence"], (hellos[0], msg)
    assert got[0]["sequence"] == got[1]["sequence"], got

    leaked = stranger.drain(QUIET_SECONDS)
    assert leaked == [], f"another user's connection received: {leaked}"
    assert [m["type"] for _, m in stranger.received] == ["hello"], stranger.received

    # Sequences grow.
    resp = owner.api.patch(f"/api/tasks/{task['id']}", json={"title": "Renamed"})
    assert resp.status_code == 200
    _, upd = a.wait_for(lambda m: m.get("type") == "task" and m.get("op") == "updated", what="the update")
    assert upd["sequence"] > got[0]["sequence"] and upd["version"] == 2, upd
    assert upd["task"]["title"] == "Renamed", upd


def test_changes_made_by_the_server_are_announced_too(server, user, clients):
    """The next occurrence of a recurring task, created by the recurrer, reaches the WebSocket."""
    c = clients(server.base_url, user.token)
    c.hello()
    task = create_task(user.api, due_at="2031-01-01T08:00:00Z",
                       recurrence={"rrule": "FREQ=DAILY", "mode": "schedule"})
    assert user.api.post(f"/api/tasks/{task['id']}/complete").status_code == 200
    _, done = c.wait_for(lambda m: m.get("op") == "completed", what="the completed message")
    assert done["task"]["id"] == task["id"] and done["task"]["status"] == "completed", done
    _, nxt = c.wait_for(lambda m: m.get("op") == "created" and m["task"]["id"] != task["id"],
                        what="the created message of the next occurrence")
    assert nxt["task"]["series_id"] == task["id"] and nxt["task"]["occurrence_index"] == 1, nxt
    assert nxt["task"]["due_at"] == "2031-01-02T08:00:00.000Z" and nxt["sequence"] > done["sequence"], nxt


def test_reconnect_with_since_and_epoch_gets_what_was_missed(server, user, clients):
    watcher = clients(server.base_url, user.token)  # stays connected: shows when the hub has it
    first = clients(server.base_url, user.token)
    hello = first.hello()
    watcher.hello()
    seen = create_task(user.api)
    _, msg = first.wait_for(is_created(seen["id"]), what="the first task")
    first.close()

    missed = create_task(user.api)
    watcher.wait_for(is_created(missed["id"]), what="the missed task on the other connection")

    again = clients(server.base_url, user.token, since=msg["sequence"], epoch=hello["epoch"])
    _, hello2 = again.wait_for(lambda m: True, what="the hello")
    assert hello2.get("type") == "hello" and hello2["epoch"] == hello["epoch"], hello2
    _, replayed = again.wait_for(lambda m: m.get("type") == "task", what="the missed task message")
    assert replayed["op"] == "created" and replayed["task"]["id"] == missed["id"], replayed
    assert replayed["sequence"] > msg["sequence"], replayed
    extra = again.drain(0.3)
    assert all(m.get("task", {}).get("id") != seen["id"] for m in extra), \
        f"a message from before `since` was sent again: {extra}"


def test_reconnect_with_a_wrong_epoch_is_told_to_resync(server, user, clients):
    hello = clients(server.base_url, user.token).hello()
    create_task(user.api)
    c = clients(server.base_url, user.token, since=hello["sequence"], epoch="not-" + hello["epoch"])
    assert c.hello()["epoch"] == hello["epoch"]
    _, msg = c.wait_for(lambda m: m.get("type") != "hello", what="the resync message")
    assert msg["type"] == "resync", msg


@pytest.mark.parametrize("token", [None, "not-a-jwt", token_for(10**9)], ids=["none", "garbage", "unknown-user"])
def test_upgrade_without_a_valid_token_is_401(server, token):
    with pytest.raises(websocket.WebSocketBadStatusException) as err:
        websocket.create_connection(ws_url(server.base_url, token), timeout=5, http_no_proxy=["127.0.0.1"])
    assert err.value.status_code == 401, err.value


@pytest.mark.parametrize("missed", [50, 600])
def test_a_reconnect_gets_everything_missed_or_resync_never_a_part(server, user, clients, missed):
    """Missed more changes than the server may keep: the reconnecting client gets all of them in
    order, or is told to resync; it never gets a silently incomplete catch-up."""
    watcher = clients(server.base_url, user.token)
    first = clients(server.base_url, user.token)
    hello = first.hello()
    watcher.hello()
    task = create_task(user.api)
    _, msg = first.wait_for(is_created(task["id"]), what="the created message")
    first.close()

    for i in range(missed):
        resp = user.api.patch(f"/api/tasks/{task['id']}", json={"title": f"change {i}"})
        assert resp.status_code == 200
    watcher.wait_for(lambda m: m.get("version") == missed + 1, what="the last change on the other connection")

    again = clients(server.base_url, user.token, since=msg["sequence"], epoch=hello["epoch"])
    again.hello()
    _, head = again.wait_for(lambda m: True, what="the catch-up")
    if head["type"] == "resync":
        assert again.drain(0.3) == [], "messages after a resync"
        return
    versions = [head.get("version")]
    while len(versions) < missed:
        got = again.next(5)
        assert got is not None, f"catch-up stopped after {len(versions)} of {missed} changes"
        versions.append(got[1].get("version"))
    assert versions == list(range(2, missed + 2)), versions


UPGRADE_HEADERS = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


def test_a_refused_upgrade_has_the_headers_of_every_response(server, anon):
    """docs/api.md: every response carries X-Request-Id (the caller's, if sane) and the security
    headers; a refused upgrade is an ordinary 401 error response."""
    resp = anon.get("/api/ws", headers={**UPGRADE_HEADERS, "X-Request-Id": "e2e-ws-refused-1"})
    assert_error(resp, 401, "unauthorized")
    got = {k: resp.headers.get(k) for k in ["X-Request-Id", *SECURITY_HEADERS, "Cache-Control"]}
    assert got == {"X-Request-Id": "e2e-ws-refused-1", **SECURITY_HEADERS, "Cache-Control": "no-store"}, \
        f"headers of the refused upgrade: {dict(resp.headers)}"


def test_the_upgrade_response_carries_the_request_id(server, user):
    ws = websocket.create_connection(ws_url(server.base_url, user.token), timeout=5, http_no_proxy=["127.0.0.1"],
                                     header=["X-Request-Id: e2e-ws-upgrade-1"])
    try:
        headers = ws.getheaders()
    finally:
        ws.close()
    assert headers.get("x-request-id") == "e2e-ws-upgrade-1", f"101 response headers: {headers}"
