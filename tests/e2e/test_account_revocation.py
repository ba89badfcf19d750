"""Revoked tokens end open WebSockets with close code 4401 (password change, account deletion, token
expiry), and a deleted account's reminders never fire: its reminders, notifications and audit
chain are gone, the other accounts' chains still verify."""

from __future__ import annotations

import time

import pytest
import websocket

from e2e_support import (CLOSE_TOKEN_INVALID, WsClient, cli_output, close_code, db_query, iso_ms, now_ms,
                         open_ws, run_cli, wait_until, ws_url)
from helpers import create_task, describe, signup, token_for


def test_password_change_closes_the_other_sockets_with_4401(server, make_user):
    u = make_user()
    old = open_ws(server.base_url, u.token)
    resp = u.api.post("/api/me/password", json={"current_password": u.password,
                                                "new_password": "another correct horse battery"})
    assert resp.status_code == 200, describe(resp)
    assert close_code(old) == CLOSE_TOKEN_INVALID

    # The new token opens a socket that stays and gets the user's changes; the old one is refused.
    fresh = WsClient(ws_url(server.base_url, resp.json()["token"]))
    try:
        fresh.hello()
        task = create_task(server.client(resp.json()["token"]))
        fresh.wait_for(lambda m: m.get("op") == "created" and m["task"]["id"] == task["id"], what="the change")
    finally:
        fresh.close()
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(ws_url(server.base_url, u.token), timeout=5, http_no_proxy=["127.0.0.1"])
    assert refused.value.status_code == 401


def test_a_socket_is_closed_with_4401_when_its_token_expires(server, make_user):
    u = make_user()
    ws = open_ws(server.base_url, token_for(u.id, ttl=2))
    started = time.monotonic()
    assert close_code(ws, timeout=10) == CLOSE_TOKEN_INVALID
    assert time.monotonic() - started < 5


def test_a_deleted_accounts_reminders_never_fire_and_its_data_is_gone(tickler_bin, server_factory):
    srv = server_factory()
    gone, kept = signup(srv.base_url), signup(srv.base_url)
    ws = open_ws(srv.base_url, gone.token)
    remind_ms = now_ms() + 3000
    for owner in (gone, kept):
        create_task(owner.api, reminders=[{"at": iso_ms(remind_ms)}])
    resp = gone.api.delete("/api/me", json={"password": gone.password})
    assert resp.status_code == 204, describe(resp)
    assert close_code(ws) == CLOSE_TOKEN_INVALID

    # The other account's reminder fires; by then the deleted one's would have.
    wait_until(lambda: kept.api.get("/api/notifications").json()["items"], timeout=10,
               what="the kept account's notification")
    time.sleep(1)
    assert srv.stop() == 0
    for table in ("tasks", "reminders", "notifications", "audit_log", "audit_heads", "webhooks"):
        rows = db_query(srv.data_dir, f"SELECT count(*) FROM {table} WHERE user_id = ?", (gone.id,))
        assert rows == [(0,)], f"{table} still holds rows of the deleted user"
    assert db_query(srv.data_dir, "SELECT count(*) FROM notifications WHERE user_id = ?", (kept.id,)) == [(1,)]
    verified = run_cli(tickler_bin, "audit", "verify", "--data", str(srv.data_dir))
    assert verified.returncode == 0 and "intact" in verified.stdout, cli_output(verified)
