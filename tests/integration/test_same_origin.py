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
