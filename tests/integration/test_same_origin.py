"""One origin for clients: the api serves the auditor's and the notifier's routes by forwarding
them through Dapr service invocation, and passes /api/ws to a realtime replica."""

from __future__ import annotations

from e2e_support import WsClient, iso_ms, now_ms, wait_until, ws_url
from flows import EVENT_WAIT
from helpers import assert_error, create_task, describe, unique_word


def test_history_and_notifications_are_served_on_the_api_origin(stack, user):
    task = create_task(user.api, title="Same origin " + unique_word())

    def history():
        r = user.api.get(f"/api/tasks/{task['id']}/history")
        return r.status_code == 200 and r.json()["items"]

    items = wait_until(history, EVENT_WAIT, interval=0.2, what="the history through the api")
    assert items[0]["type"] == "tickler.task.created.v1", items
    r = user.api.get("/api/notifications")
    assert r.status_code == 200 and r.json()["items"] == [], describe(r)


def test_forwarded_routes_still_check_the_token(stack, api_url):
    from helpers import Api
    anon = Api(api_url)
    assert_error(anon.get("/api/notifications"), 401, "unauthorized")
    assert_error(anon.get("/api/tasks/1/history"), 401, "unauthorized")


def test_the_websocket_on_the_api_origin_gets_updates_and_notifications(stack, user):
    client = WsClient(ws_url(stack.services["api"].url, user.token))
    try:
        assert client.hello()["type"] == "hello"
        remind_ms = now_ms() + 3000
        task = create_task(user.api, title="Through the api " + unique_word(),
                           reminders=[{"at": iso_ms(remind_ms)}])
        client.wait_for(lambda m: m.get("type") == "task" and m["task"]["id"] == task["id"],
                        timeout=EVENT_WAIT, what="the created message")
        at, _ = client.wait_for(
            lambda m: m.get("type") == "notification" and m["notification"]["task_id"] == task["id"],
            timeout=EVENT_WAIT, what="the notification")
        assert at >= remind_ms - 5
    finally:
        client.close()


def test_a_websocket_without_a_token_is_refused_through_the_api(stack):
    import websocket
    try:
        websocket.create_connection(ws_url(stack.services["api"].url, None), timeout=5,
                                    http_proxy_host=None)
        raise AssertionError("the upgrade without a token was accepted")
    except websocket.WebSocketBadStatusException as e:
        assert e.status_code == 401


def _count(stack, db: str, sql: str) -> int:
    """One number from the role's own PostgreSQL database."""
    import subprocess
    out = subprocess.run(["psql", stack.pg_urls[db], "-tAc", sql], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.strip())


def test_a_changed_password_revokes_the_old_token_in_every_role(stack, user):
    """The api checks the routes it forwards; the realtime role closes the old socket with 4401
    (tickler.user.revoked.v1 over Kafka) and asks the api before it accepts a token."""
    import websocket
    from e2e_support import CLOSE_TOKEN_INVALID, close_code, open_ws
    from helpers import Api

    api_url = stack.services["api"].url
    old_ws = open_ws(api_url, user.token)
    resp = user.api.post("/api/me/password", json={"current_password": user.password,
                                                   "new_password": "another correct horse battery"})
    assert resp.status_code == 200, describe(resp)
    fresh = Api(api_url, token=resp.json()["token"])
    assert close_code(old_ws, timeout=EVENT_WAIT) == CLOSE_TOKEN_INVALID
    for path in ("/api/tasks", "/api/notifications", "/api/tasks/1/history", "/api/me/webhook"):
        assert_error(user.api.get(path), 401)
    assert fresh.get("/api/notifications").status_code == 200
    try:
        websocket.create_connection(ws_url(api_url, user.token), timeout=5, http_proxy_host=None)
        raise AssertionError("the upgrade with a revoked token was accepted")
    except websocket.WebSocketBadStatusException as e:
        assert e.status_code == 401
    ok = WsClient(ws_url(api_url, resp.json()["token"]))
    try:
        ok.hello()
    finally:
        ok.close()


def test_a_deleted_account_is_gone_from_every_role(stack, make_user):
    from e2e_support import CLOSE_TOKEN_INVALID, close_code, open_ws
    from flows import wait_audit

    gone, kept = make_user(), make_user()
    ws = open_ws(stack.services["api"].url, gone.token)
    remind_ms = now_ms() + 6000
    tasks = {}
    for owner in (gone, kept):
        tasks[owner.id] = create_task(owner.api, title="Deleted " + unique_word(),
                                      reminders=[{"at": iso_ms(remind_ms)}])
        wait_audit(stack, owner.token, tasks[owner.id]["id"], ["tickler.task.created.v1"])
    wait_until(lambda: _count(stack, "notifier", f"SELECT count(*) FROM reminders WHERE user_id = {gone.id}") == 1,
               EVENT_WAIT, interval=0.2, what="the deleted user's reminder at the notifier")

    resp = gone.api.delete("/api/me", json={"password": gone.password})
    assert resp.status_code == 204, describe(resp)
    assert close_code(ws, timeout=EVENT_WAIT) == CLOSE_TOKEN_INVALID
    assert_error(gone.api.get("/api/tasks"), 401)
    assert_error(gone.api.post("/api/tasks", json={"title": "after deletion"}), 401)
    assert_error(gone.api.get("/api/notifications"), 401)

    def gone_everywhere():
        return (_count(stack, "notifier", f"SELECT count(*) FROM reminders WHERE user_id = {gone.id}") == 0
                and _count(stack, "auditor", f"SELECT count(*) FROM audit_log WHERE user_id = {gone.id}") == 0
                and _count(stack, "auditor", f"SELECT count(*) FROM audit_heads WHERE user_id = {gone.id}") == 0
                and _count(stack, "api", f"SELECT count(*) FROM tasks WHERE user_id = {gone.id}") == 0)

    wait_until(gone_everywhere, EVENT_WAIT, interval=0.2, what="the deleted user's rows gone in every role")
    # The other account's reminder still fires; the deleted one's never does.
    wait_until(lambda: kept.api.get("/api/notifications").json()["items"], EVENT_WAIT + 6, interval=0.2,
               what="the kept account's notification")
    assert _count(stack, "notifier", f"SELECT count(*) FROM notifications WHERE user_id = {gone.id}") == 0
    assert _count(stack, "auditor", f"SELECT count(*) FROM audit_log WHERE user_id = {kept.id}") >= 1
