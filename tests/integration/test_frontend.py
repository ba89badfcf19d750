"""The frontend role (tickler frontend beside its own daprd): it serves the built web UI and passes
every /api route on to the api through Dapr service invocation, and /api/ws to a realtime
replica — so a browser needs this one origin only."""

from __future__ import annotations

from pathlib import Path

from e2e_support import WsClient, ws_url
from flows import EVENT_WAIT
from helpers import Api, assert_error, create_task, describe, signup, unique_word

from e2e_support import wait_until

ROOT = Path(__file__).resolve().parents[2]
WEB_INDEX = ROOT / "build" / "web" / "index.html"  # where `make build` puts the UI


def test_the_frontend_serves_the_built_web_ui(frontend):
    assert WEB_INDEX.is_file(), "make build puts the web UI in build/web"
    web = Api(frontend.url)
    r = web.get("/")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html"), describe(r)
    assert r.text == WEB_INDEX.read_text(), "/ is the built index.html"
    r = web.get("/tasks/some/client/route")
    assert r.status_code == 200 and r.text == WEB_INDEX.read_text(), describe(r)


def test_api_routes_pass_through_the_frontend_to_the_api(frontend):
    user = signup(frontend.url)  # POST /api/auth/signup, through the frontend
    task = create_task(user.api, title="Via the frontend " + unique_word())
    r = user.api.get(f"/api/tasks/{task['id']}")
    assert r.status_code == 200 and r.json()["title"] == task["title"], describe(r)
    r = user.api.patch(f"/api/tasks/{task['id']}", json={"priority": "high"})
    assert r.status_code == 200 and r.json()["priority"] == "high", describe(r)

    def history():  # frontend → api → auditor: two hops of service invocation
        r = user.api.get(f"/api/tasks/{task['id']}/history")
        return r.status_code == 200 and len(r.json()["items"]) >= 2 and r.json()["items"]

    items = wait_until(history, EVENT_WAIT, interval=0.2, what="the history through the frontend")
    assert [i["type"] for i in items[:2]] == ["tickler.task.created.v1", "tickler.task.updated.v1"]
    assert_error(Api(frontend.url).get("/api/me"), 401, "unauthorized")
    assert_error(user.api.post("/api/tasks", json={"title": ""}), 422, "validation_failed")


def test_the_websocket_on_the_frontend_origin_gets_updates(frontend):
    user = signup(frontend.url)
    client = WsClient(ws_url(frontend.url, user.token))
    try:
        assert client.hello()["type"] == "hello"
        task = create_task(user.api, title="Live via the frontend " + unique_word())
        client.wait_for(lambda m: m.get("type") == "task" and m["task"]["id"] == task["id"],
                        timeout=EVENT_WAIT, what="the created message")
    finally:
        client.close()


def test_an_mcp_client_works_through_the_frontend(frontend):
    """/mcp on the frontend's origin: passed on to the api with MCP's headers, both ways."""
    from mcp_support import LATEST_HANDSHAKE, mcp_client, run, structured

    user = signup(frontend.url)

    async def go():
        for mode in ("auto", "legacy"):  # the legacy mode needs Mcp-Session-Id both ways
            async with mcp_client(frontend.url, user.token, mode=mode) as c:
                assert mode == "auto" or c.protocol_version == LATEST_HANDSHAKE
                title = f"MCP via the frontend {unique_word()}"
                task = structured(await c.call_tool("add_task", {"title": title}))
                assert structured(await c.call_tool("get_task", {"id": task["id"]}))["title"] == title

    run(go())
