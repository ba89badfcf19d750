"""The MCP server in the distributed stack: the official SDK client on the api's origin adds and
lists tasks; history and notifications, served by the auditor and the notifier, answer through
their tools too (the api forwards their routes with the caller's credential)."""

from __future__ import annotations

import asyncio

from e2e_support import iso_ms, now_ms
from flows import EVENT_WAIT
from helpers import unique_word
from mcp_support import CLIENT_NAME, LATEST_HANDSHAKE, MODERN, mcp_client, run, structured


async def _poll(call, ready, timeout: float):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        out = await call()
        if ready(out) or asyncio.get_running_loop().time() > deadline:
            return out
        await asyncio.sleep(0.3)


def test_an_mcp_client_adds_and_lists_tasks_through_the_distributed_stack(stack, api_url, user):
    word = unique_word()

    async def go():
        async with mcp_client(api_url, user.token) as c:
            assert c.protocol_version == MODERN
            task = structured(await c.call_tool("add_task", {
                "title": f"Over MCP {word}", "tags": ["mcp"],
                "reminders": [{"at": iso_ms(now_ms() + 2000)}]}))
            listed = structured(await c.call_tool("list_tasks", {"q": word}))
            assert [t["id"] for t in listed["items"]] == [task["id"]]

            async def history():  # not_found until the auditor has the task's first event
                return await c.call_tool("task_history", {"id": task["id"]})

            result = await _poll(history, lambda r: not r.is_error, EVENT_WAIT)
            items = structured(result)["items"]
            assert items and items[0]["actor"] == f"mcp:{CLIENT_NAME}", items

            async def notes():
                return structured(await c.call_tool("list_notifications", {"limit": 5}))

            fired = (await _poll(notes, lambda n: n["items"], EVENT_WAIT))["items"]
            assert [n["task_id"] for n in fired] == [task["id"]], fired
        # The initialize handshake works against the same replica set.
        async with mcp_client(api_url, user.token, mode="legacy") as c:
            assert c.protocol_version == LATEST_HANDSHAKE
            listed = structured(await c.call_tool("list_tasks", {"q": word}))
            assert [t["id"] for t in listed["items"]] == [task["id"]]

    run(go())
