"""The MCP server at /mcp through the official MCP Python SDK client (Streamable HTTP, a session
JWT as Bearer): both protocol eras, every tool, tool errors, isolation and the audit actor.

Every successful result is also checked against the tool's outputSchema here (the SDK client
checks it too), and REST answers of the same routes against the same schemas: the tool schemas
are the REST contract's."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest
from mcp.shared.exceptions import MCPError

from helpers import create_task, describe, unique_word, wait_until, written_history
from mcp_support import (CLIENT_NAME, LATEST_HANDSHAKE, MODERN, TOOLS, mcp_client, run, structured,
                         tool_error, validate)


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@pytest.mark.parametrize("mode, version", [("auto", MODERN), ("legacy", LATEST_HANDSHAKE)])
def test_the_sdk_connects_and_lists_the_tools_with_schemas_and_annotations(server, user, mode,
                                                                           version):
    async def go():
        async with mcp_client(server.base_url, user.token, mode=mode) as c:
            assert c.protocol_version == version
            assert c.server_info.name == "tickler"
            if mode == "legacy":
                await c.send_ping()
            return (await c.list_tools()).tools

    tools = {t.name: t for t in run(go())}
    assert set(tools) == TOOLS
    for t in tools.values():
        assert t.title and t.description, t.name
        assert t.input_schema["type"] == "object" and t.output_schema["type"] == "object", t.name
        if t.name in ("list_tasks", "list_tags", "list_notifications"):
            validate(t.input_schema, {})
        hints = t.annotations
        assert hints.open_world_hint is False, t.name
        assert hints.read_only_hint is (t.name in {"list_tasks", "get_task", "task_history",
                                                   "parse_quick_add", "list_tags",
                                                   "list_notifications"}), t.name
    assert tools["delete_task"].annotations.destructive_hint is True
    assert tools["add_task"].annotations.idempotent_hint is False
    assert set(tools["list_tasks"].input_schema["properties"]) == {
        "q", "status", "priority", "tag", "due_after", "due_before", "has_due", "sort", "order",
        "limit", "cursor"}
    assert {"title", "text", "due_at", "reminders", "recurrence"} <= set(
        tools["add_task"].input_schema["properties"])


def test_every_tool_runs_its_route_and_answers_by_its_output_schema(server, user):
    word = unique_word()
    due = datetime.now(timezone.utc) + timedelta(days=3)
    remind = datetime.now(timezone.utc) + timedelta(seconds=2)

    async def go():
        async with mcp_client(server.base_url, user.token) as c:
            schemas = {t.name: t.output_schema for t in (await c.list_tools()).tools}

            async def call(name, **args):
                out = structured(await c.call_tool(name, args))
                validate(schemas[name], out)
                return out

            a = await call("add_task", title=f"Pay rent {word}", priority="high", tags=["home"],
                           due_at=iso(due), time_zone="Europe/Berlin",
                           reminders=[{"at": iso(remind)}],
                           recurrence={"rrule": "FREQ=MONTHLY", "mode": "schedule"})
            assert a["priority"] == "high" and a["recurrence"]["rrule"] == "FREQ=MONTHLY"
            preview = await call("parse_quick_add", text=f"Call mom {word} tomorrow 5pm #family !low",
                                 time_zone="Europe/Berlin")
            assert preview["tags"] == ["family"] and preview["priority"] == "low"
            b = await call("add_task", text=f"Call mom {word} tomorrow 5pm #family !low",
                           time_zone="Europe/Berlin")
            assert b["title"] == preview["title"] and b["due_at"] == preview["due_at"]
            page = await call("list_tasks", q=word, sort="title", order="asc", limit=1)
            assert [t["id"] for t in page["items"]] == [b["id"]] and page["next_cursor"]
            page2 = await call("list_tasks", q=word, sort="title", order="asc", limit=1,
                               cursor=page["next_cursor"])
            assert [t["id"] for t in page2["items"]] == [a["id"]]
            only = await call("list_tasks", q=word, tag=["home"], priority=["high", "medium"],
                              status="pending", has_due="true", due_before=iso(due + timedelta(days=1)))
            assert [t["id"] for t in only["items"]] == [a["id"]]
            assert (await call("get_task", id=a["id"]))["title"] == a["title"]
            changed = await call("update_task", id=a["id"], description="monthly",
                                 expected_version=a["version"])
            assert changed["description"] == "monthly" and changed["version"] == a["version"] + 1
            done = await call("complete_task", id=a["id"])
            assert done["status"] == "completed"
            reopened = await call("reopen_task", id=a["id"])
            assert reopened["status"] == "pending" and "retracted_occurrence_id" in reopened
            tags = await call("list_tags")
            assert {"tag": "home", "count": 1} in tags["items"]
            history = await call("task_history", id=a["id"])
            assert history["items"][0]["type"] == "tickler.task.created.v1"
            deleted = await call("delete_task", id=b["id"])
            assert deleted == {"deleted": True, "id": b["id"]}
            assert tool_error(await c.call_tool("get_task", {"id": b["id"]}))["code"] == "not_found"
            notes = {}
            for _ in range(100):  # the reminder fires within a few seconds
                notes = await call("list_notifications", unread="true", limit=10)
                if notes["items"]:
                    break
                await asyncio.sleep(0.2)
            assert [n["task_id"] for n in notes["items"]] == [a["id"]], notes
            return a

    a = run(go())
    # The same routes over REST answer by the same schemas, with the same content.
    r = user.api.get(f"/api/tasks/{a['id']}")
    assert r.status_code == 200, describe(r)
    assert r.json()["id"] == a["id"]


def test_rest_answers_validate_against_the_tool_output_schemas(server, user):
    async def go():
        async with mcp_client(server.base_url, user.token) as c:
            return {t.name: t.output_schema for t in (await c.list_tools()).tools}

    schemas = run(go())
    task = create_task(user.api, title="Schema " + unique_word(), tags=["x"],
                       reminders=[{"before_minutes": 5}], due_at="2031-01-01T09:00:00Z",
                       recurrence={"rrule": "FREQ=WEEKLY"})
    api = user.api
    validate(schemas["get_task"], api.get(f"/api/tasks/{task['id']}").json())
    validate(schemas["list_tasks"], api.get("/api/tasks", params={"limit": 2}).json())
    validate(schemas["list_tags"], api.get("/api/tags").json())
    validate(schemas["parse_quick_add"],
             api.post("/api/tasks/parse", json={"quick": "x every day at 9 #a !high"}).json())
    validate(schemas["complete_task"], api.post(f"/api/tasks/{task['id']}/complete").json())
    validate(schemas["reopen_task"], api.post(f"/api/tasks/{task['id']}/reopen").json())
    validate(schemas["list_notifications"], api.get("/api/notifications").json())
    history = written_history(api, task["id"])
    validate(schemas["task_history"], {"items": history})


def test_tool_errors_are_results_with_the_routes_message(server, user, make_user):
    other = make_user()
    theirs = create_task(other.api, title="Not yours " + unique_word())

    async def go():
        async with mcp_client(server.base_url, user.token) as c:
            e = tool_error(await c.call_tool("add_task", {"title": ""}))
            assert e["code"] == "validation_failed" and e["details"]["field"] == "title"
            e = tool_error(await c.call_tool("add_task", {"title": "x", "colour": "red"}))
            assert e["code"] == "validation_failed" and e["details"]["field"] == "colour"
            e = tool_error(await c.call_tool("add_task", {"text": "x", "title": "y"}))
            assert e["code"] == "validation_failed"
            e = tool_error(await c.call_tool("get_task", {"id": "seven"}))
            assert e["details"]["field"] == "id"
            e = tool_error(await c.call_tool("list_tasks", {"sort": "colour"}))
            assert e["code"] == "invalid_parameter"
            mine = structured(await c.call_tool("add_task", {"title": "v1"}))
            e = tool_error(await c.call_tool("update_task", {"id": mine["id"], "title": "v2",
                                                             "expected_version": 99}))
            assert e["code"] == "version_mismatch"
            # Another user's task is not there, whatever the tool.
            for name, args in [("get_task", {}), ("update_task", {"title": "mine now"}),
                               ("complete_task", {}), ("reopen_task", {}), ("delete_task", {}),
                               ("task_history", {})]:
                e = tool_error(await c.call_tool(name, {"id": theirs["id"], **args}))
                assert e["code"] == "not_found", (name, e)
            listed = structured(await c.call_tool("list_tasks", {"q": theirs["title"].split()[-1]}))
            assert listed["items"] == []
            with pytest.raises(MCPError) as unknown:
                await c.call_tool("no_such_tool", {})
            assert unknown.value.error.code == -32602

    run(go())
    r = other.api.get(f"/api/tasks/{theirs['id']}")
    assert r.status_code == 200 and r.json()["title"] == theirs["title"], describe(r)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_the_audit_trail_names_the_mcp_client(server, user, mode):
    name = f"{CLIENT_NAME} {mode}"

    async def go():
        async with mcp_client(server.base_url, user.token, mode=mode, client_name=name) as c:
            t = structured(await c.call_tool("add_task", {"title": "Audited " + unique_word()}))
            structured(await c.call_tool("complete_task", {"id": t["id"]}))
            return t

    task = run(go())

    def actors():
        items = user.api.get(f"/api/tasks/{task['id']}/history").json().get("items", [])
        return len(items) >= 2 and [i["actor"] for i in items]

    assert wait_until(actors, "two history entries") == [f"mcp:{name}"] * 2
    create_task(user.api, title="over REST")  # the same user over REST stays user:<id>


def test_resources_read_the_users_tasks(server, user, make_user):
    other = make_user()
    theirs = create_task(other.api, title="Theirs " + unique_word())
    mine = create_task(user.api, title="Mine " + unique_word(), due_at="2030-05-01T10:00:00Z")

    async def go():
        async with mcp_client(server.base_url, user.token) as c:
            templates = (await c.list_resource_templates()).resource_templates
            assert [t.uri_template for t in templates] == ["tickler://tasks/{id}"]
            listed = (await c.list_resources()).resources
            assert f"tickler://tasks/{mine['id']}" in [str(r.uri) for r in listed]
            read = await c.read_resource(f"tickler://tasks/{mine['id']}")
            assert json.loads(read.contents[0].text)["title"] == mine["title"]
            for uri in (f"tickler://tasks/{theirs['id']}", "tickler://tasks/0", "tickler://elsewhere"):
                with pytest.raises(MCPError) as missing:
                    await c.read_resource(uri)
                assert missing.value.error.code == -32002, uri

    run(go())


def test_without_a_credential_the_endpoint_answers_401(server):
    async def go():
        async with mcp_client(server.base_url, None) as c:
            await c.list_tools()

    with pytest.raises(Exception):
        run(go())
    r = server.client().post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert r.status_code == 401, describe(r)


def test_a_read_only_token_reads_but_cannot_write(server, user):
    """A personal API token with tasks:read only: the read tools work, a write tool is an
    isError result with insufficient_scope (the route's own scope check), and nothing changes."""
    r = user.api.post("/api/tokens", json={"name": "mcp read-only", "scopes": ["tasks:read"]})
    if r.status_code == 404:
        pytest.skip("personal API tokens (POST /api/tokens) are not in this build")
    assert r.status_code == 201, describe(r)
    token = r.json()["token"]
    task = create_task(user.api, title="Read only " + unique_word())

    async def go():
        async with mcp_client(server.base_url, token) as c:
            assert structured(await c.call_tool("get_task", {"id": task["id"]}))["id"] == task["id"]
            for name, args in [("add_task", {"title": "nope"}),
                               ("update_task", {"id": task["id"], "title": "changed"}),
                               ("complete_task", {"id": task["id"]}),
                               ("delete_task", {"id": task["id"]})]:
                e = tool_error(await c.call_tool(name, args))
                assert e["code"] == "insufficient_scope", (name, e)

    run(go())
    r = user.api.get(f"/api/tasks/{task['id']}")
    assert r.json()["title"] == task["title"] and r.json()["status"] == "pending", describe(r)
