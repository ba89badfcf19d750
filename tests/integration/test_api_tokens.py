"""Personal API tokens across the distributed stack: a token made on the api works on the api,
through it (the auditor's history, the notifier's notifications) and directly on the auditor, the
notifier and a realtime replica, which ask the api about it; once revoked, every role refuses it
within about a second, and an open WebSocket opened with it is closed."""

from __future__ import annotations

import time

import pytest
import websocket

from e2e_support import CLOSE_TOKEN_INVALID, WsClient, close_code, open_ws, wait_until, ws_url
from flows import EVENT_WAIT, service_api
from helpers import assert_error, create_task, describe, unique_word


def make_token(user, name: str, scopes: list[str]) -> dict:
    resp = user.api.post("/api/tokens", json={"name": name, "scopes": scopes})
    assert resp.status_code == 201, describe(resp)
    return resp.json()


def test_a_token_works_in_every_role_and_is_refused_by_all_once_revoked(stack, user):
    name = "integration " + unique_word()
    made = make_token(user, name, ["tasks:read", "tasks:write"])
    secret = made["token"]
    via_api = service_api(stack, "api", secret)
    task = create_task(via_api, title="Filed with a token " + unique_word())

    def history():
        r = via_api.get(f"/api/tasks/{task['id']}/history")
        return r.status_code == 200 and r.json()["items"]

    items = wait_until(history, EVENT_WAIT, interval=0.2, what="the history through the api")
    assert items[0]["actor"] == f"token:{name}", items
    assert via_api.get("/api/notifications").status_code == 200

    # Directly on the roles, which ask the api about the token.
    auditor = service_api(stack, "auditor", secret)
    notifier = service_api(stack, "notifier", secret)
    r = auditor.get(f"/api/tasks/{task['id']}/history")
    assert r.status_code == 200 and r.json()["items"][0]["actor"] == f"token:{name}", describe(r)
    assert notifier.get("/api/notifications").status_code == 200
    socket = open_ws(stack.services["realtime-1"].url, secret)

    assert user.api.delete(f"/api/tokens/{made['id']}").status_code == 204
    assert_error(via_api.get("/api/tasks"), 401)  # the api that revoked it: at once
    time.sleep(1.2)  # the roles keep the api's answer for at most a second
    assert_error(via_api.get(f"/api/tasks/{task['id']}/history"), 401)
    assert_error(auditor.get(f"/api/tasks/{task['id']}/history"), 401)
    assert_error(notifier.get("/api/notifications"), 401)
    for replica in ("realtime-1", "realtime-2"):
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(ws_url(stack.services[replica].url, secret), timeout=5,
                                        http_proxy_host=None, http_no_proxy=["127.0.0.1"])
        assert refused.value.status_code == 401
    # The socket opened before asks again within 15 s and is closed.
    assert close_code(socket, timeout=25) == CLOSE_TOKEN_INVALID


def test_a_read_only_token_reads_in_every_role_and_cannot_write(stack, user):
    reader = make_token(user, "reader " + unique_word(), ["tasks:read"])["token"]
    task = create_task(user.api, title="Read only " + unique_word())
    wait_until(lambda: user.api.get(f"/api/tasks/{task['id']}/history").status_code == 200, EVENT_WAIT,
               interval=0.2, what="the history")
    for role, path in (("api", "/api/tasks"), ("api", f"/api/tasks/{task['id']}/history"),
                       ("auditor", f"/api/tasks/{task['id']}/history"), ("notifier", "/api/notifications")):
        r = service_api(stack, role, reader).get(path)
        assert r.status_code == 200, describe(r)
    for role in ("api", "notifier"):
        assert_error(service_api(stack, role, reader).post("/api/notifications/1/read"), 403,
                     "insufficient_scope")
        assert_error(service_api(stack, role, reader).get("/api/me/webhook"), 403, "insufficient_scope")
    assert_error(service_api(stack, "api", reader).post("/api/tasks", json={"title": "no"}), 403,
                 "insufficient_scope")
    client = WsClient(ws_url(stack.services["realtime-2"].url, reader))
    try:
        assert client.hello()["type"] == "hello"
    finally:
        client.close()


def test_a_disabled_accounts_token_is_refused_by_every_role(stack, user):
    secret = make_token(user, "to be disabled " + unique_word(), ["tasks:read"])["token"]
    assert service_api(stack, "notifier", secret).get("/api/notifications").status_code == 200
    # Deleting the account is the API's way to end every credential of it (disable is the CLI's).
    assert user.api.delete("/api/me", json={"password": user.password}).status_code == 204
    time.sleep(1.2)
    for role, path in (("api", "/api/me"), ("notifier", "/api/notifications"), ("auditor", "/api/tasks/1/history")):
        assert_error(service_api(stack, role, secret).get(path), 401)
