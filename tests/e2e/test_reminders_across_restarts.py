"""Reminders are durable: scheduled before a kill -9, they still fire once, on time; due while the
server was down, they fire once when it is back. A WebSocket client of the old process that
reconnects with its since + epoch is told to resync."""

from __future__ import annotations

from e2e_support import WsClient, assert_still_before, iso_ms, now_ms, parse_ms, wait_until, ws_url
from helpers import create_task, describe, signup

CLOCK_GRANULARITY_MS = 5


def notifications(api) -> list[dict]:
    resp = api.get("/api/notifications")
    assert resp.status_code == 200, describe(resp)
    return resp.json()["items"]


def test_reminder_scheduled_before_a_kill_fires_on_time_after_the_restart(server_factory):
    srv = server_factory()
    owner = signup(srv.base_url)
    old = WsClient(ws_url(srv.base_url, owner.token))
    old_hello = old.hello()
    remind_ms = now_ms() + 3000
    task = create_task(owner.api, reminders=[{"at": iso_ms(remind_ms)}])
    _, created = old.wait_for(lambda m: m.get("type") == "task", what="the created message")
    old.close()
    srv.kill()

    srv = server_factory(data_dir=srv.data_dir)
    owner.api.base_url = srv.base_url
    client = WsClient(ws_url(srv.base_url, owner.token, since=created["sequence"], epoch=old_hello["epoch"]))
    assert_still_before(remind_ms - 100, "the restart")
    try:
        hello = client.hello()
        assert hello["epoch"] != old_hello["epoch"], (old_hello, hello)
        _, resync = client.wait_for(lambda m: m.get("type") != "hello", what="resync after a restart")
        assert resync["type"] == "resync", resync
        at, msg = client.wait_for(lambda m: m.get("type") == "notification",
                                  timeout=(remind_ms - now_ms()) / 1000 + 3, what="the notification")
    finally:
        client.close()
    assert remind_ms - CLOCK_GRANULARITY_MS <= at <= remind_ms + 1000, \
        f"arrived {at - remind_ms:+.0f} ms from remind_at: {msg}"
    assert [n["task_id"] for n in notifications(owner.api)] == [task["id"]]


def test_reminder_due_while_the_server_was_down_fires_once_when_it_is_back(server_factory):
    srv = server_factory()
    owner = signup(srv.base_url)
    remind_ms = now_ms() + 1000
    task = create_task(owner.api, reminders=[{"at": iso_ms(remind_ms)}])
    # Let the events of the creation be consumed before the stop.
    wait_until(lambda: owner.api.get(f"/api/tasks/{task['id']}/history").status_code == 200,
               what="the task's creation to be processed")
    assert srv.stop() == 0, srv.log_tail()
    wait_until(lambda: now_ms() > remind_ms + 500, timeout=5, what="remind_at to pass")

    srv = server_factory(data_dir=srv.data_dir)
    owner.api.base_url = srv.base_url
    items = wait_until(lambda: notifications(owner.api), what="the missed reminder to fire")
    assert [n["task_id"] for n in items] == [task["id"]], items
    assert parse_ms(items[0]["fired_at"]) > remind_ms, items
