"""Helpers of the MCP tests: the official MCP Python SDK client against /mcp, raw JSON-RPC posts
(as a 1.x client or a browser sends them), and checking results against the tools' schemas.

Also used by tests/integration (the distributed stack)."""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import jsonschema
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import Implementation

from helpers import Api

MODERN = "2026-07-28"
LATEST_HANDSHAKE = "2025-11-25"
CLIENT_NAME = "Tickler Tests"
TOOLS = {"add_task", "list_tasks", "get_task", "update_task", "complete_task", "reopen_task",
         "delete_task", "task_history", "parse_quick_add", "list_tags", "list_notifications"}


@asynccontextmanager
async def mcp_client(base_url: str, token: str | None, mode: str = "auto",
                     client_name: str = CLIENT_NAME):
    """An SDK Client on base_url/mcp with the token as Bearer; mode "auto" (server/discover
    first, as the SDK does by default) or "legacy" (the initialize handshake)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0), trust_env=False)
    async with http:
        client = Client(streamable_http_client(f"{base_url}/mcp", http_client=http), mode=mode,
                        client_info=Implementation(name=client_name, version="1.0"),
                        read_timeout_seconds=30.0)
        async with client:
            yield client


def run(coro):
    return asyncio.run(coro)


def structured(result) -> dict:
    """The structured content of a successful tool result, checked against its text block."""
    assert not result.is_error, f"tool error: {result.content}"
    assert len(result.content) == 1 and result.content[0].type == "text", result.content
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def tool_error(result) -> dict:
    """The REST error of an isError tool result: {code, message, details}."""
    assert result.is_error, f"expected a tool error, got {result.structured_content}"
    error = result.structured_content["error"]
    assert result.content[0].text.startswith(f"{error['code']}: "), result.content
    return error


def validate(schema: dict, instance: Any) -> None:
    """instance against a tool's schema (JSON Schema 2020-12), as a strict client would."""
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(instance)


class RawMcp:
    """JSON-RPC over plain HTTP POSTs to /mcp: what a 1.x SDK client or a browser sends."""

    def __init__(self, base_url: str, token: str | None, version: str | None = None):
        self.api = Api(base_url, token)
        self.version = version
        self.session: str | None = None
        self.next_id = 0

    def headers(self, extra: dict | None = None) -> dict:
        h = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
        if self.session:
            h["Mcp-Session-Id"] = self.session
        if self.version:
            h["MCP-Protocol-Version"] = self.version
        h.update(extra or {})
        return {k: v for k, v in h.items() if v is not None}

    def post(self, body: Any, headers: dict | None = None, raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(body).encode()
        return self.api.post("/mcp", data=data, headers=self.headers(headers))

    def request(self, method: str, params: dict | None = None, headers: dict | None = None):
        self.next_id += 1
        body = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            body["params"] = params
        return self.post(body, headers)

    def notify(self, method: str, params: dict | None = None):
        body = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            body["params"] = params
        return self.post(body)

    def initialize(self, version: str = "2025-03-26", client_name: str = "raw client"):
        """The handshake as a 1.x client does it: initialize (no version header), then
        notifications/initialized with the session; later requests carry the negotiated
        version (from 2025-06-18 on)."""
        self.version = None
        r = self.request("initialize", {"protocolVersion": version, "capabilities": {},
                                        "clientInfo": {"name": client_name, "version": "1.0"}})
        assert r.status_code == 200, (r.status_code, r.text)
        self.session = r.headers["Mcp-Session-Id"]
        negotiated = r.json()["result"]["protocolVersion"]
        if negotiated not in ("2024-11-05", "2025-03-26"):
            self.version = negotiated
        n = self.notify("notifications/initialized")
        assert n.status_code == 202 and n.text == "", (n.status_code, n.text)
        return r.json()["result"]

    def modern(self, method: str, params: dict | None = None, client_name: str = "raw modern",
               headers: dict | None = None):
        """One 2026-07-28 request: the envelope in params._meta and the routing headers."""
        params = dict(params or {})
        params["_meta"] = {"io.modelcontextprotocol/protocolVersion": MODERN,
                           "io.modelcontextprotocol/clientCapabilities": {},
                           "io.modelcontextprotocol/clientInfo": {"name": client_name, "version": "1"}}
        h = {"MCP-Protocol-Version": MODERN, "Mcp-Method": method}
        if method == "tools/call":
            h["Mcp-Name"] = params.get("name")
        if method == "resources/read":
            h["Mcp-Name"] = params.get("uri")
        h.update(headers or {})
        return self.request(method, params, h)
