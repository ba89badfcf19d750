"""The MCP Streamable HTTP transport at /mcp on the wire: the initialize-handshake era exactly as a
1.x SDK client sends it (sessions, 202 for notifications, batches, DELETE), the 2026-07-28
per-request envelope and its header checks, Origin, and malformed JSON-RPC answered with error
objects — never a 5xx."""

from __future__ import annotations

import json

import pytest

from helpers import create_task, describe, token_for, unique_word
from mcp_support import MODERN, RawMcp


def rpc_error(r, status: int, code: int) -> dict:
    assert r.status_code == status, describe(r)
    assert r.headers["Content-Type"].startswith("application/json"), describe(r)
    body = r.json()
    assert body["jsonrpc"] == "2.0" and body["error"]["code"] == code, describe(r)
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body


@pytest.mark.parametrize("version", ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"])
def test_the_handshake_begins_a_session_that_later_requests_carry(server, user, version):
    raw = RawMcp(server.base_url, user.token)
    result = raw.initialize(version)
    assert result["protocolVersion"] == version
    assert result["serverInfo"]["name"] == "tickler" and "tools" in result["capabilities"]
    assert raw.session.isascii() and len(raw.session) < 400
    r = raw.request("tools/list")
    assert r.status_code == 200 and r.headers["Mcp-Session-Id"] == raw.session, describe(r)
    assert len(r.json()["result"]["tools"]) == 11
    r = raw.request("ping")
    assert r.status_code == 200 and r.json() == {"jsonrpc": "2.0", "id": raw.next_id, "result": {}}
    task = create_task(user.api, title="Raw " + unique_word())
    r = raw.request("tools/call", {"name": "get_task", "arguments": {"id": task["id"]}})
    assert r.json()["result"]["structuredContent"]["id"] == task["id"], describe(r)
    assert r.json()["result"]["isError"] is False
    # DELETE ends it; the id then names no session.
    d = raw.api.delete("/mcp", headers=raw.headers())
    assert d.status_code == 204, describe(d)
    rpc_error(raw.request("tools/list"), 404, -32600)
    rpc_error(raw.api.delete("/mcp", headers=raw.headers()), 404, -32600)


def test_an_unknown_handshake_version_gets_the_newest(server, user):
    raw = RawMcp(server.base_url, user.token)
    assert raw.initialize("2099-01-01")["protocolVersion"] == "2025-11-25"


def test_batches_of_the_2025_03_26_era_are_answered_in_one_array(server, user):
    raw = RawMcp(server.base_url, user.token)
    raw.initialize("2025-03-26")
    r = raw.post([{"jsonrpc": "2.0", "id": "a", "method": "ping"},
                  {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 9}},
                  {"jsonrpc": "2.0", "id": 7, "method": "no/such"},
                  {"jsonrpc": "2.0", "id": 8, "method": 5}])
    assert r.status_code == 200, describe(r)
    answers = r.json()
    assert [a["id"] for a in answers] == ["a", 7, 8]
    assert answers[0]["result"] == {} and answers[1]["error"]["code"] == -32601
    assert answers[2]["error"]["code"] == -32600
    # Only notifications and responses: 202, no body.
    r = raw.post([{"jsonrpc": "2.0", "method": "notifications/initialized"},
                  {"jsonrpc": "2.0", "id": 1, "result": {}}])
    assert r.status_code == 202 and r.text == "", describe(r)
    rpc_error(raw.post([]), 400, -32600)
    rpc_error(raw.post([{"jsonrpc": "2.0", "id": i, "method": "ping"} for i in range(17)]), 400, -32600)
    rpc_error(raw.post([{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}]), 400, -32600)


def test_sessions_are_checked(server, user, make_user):
    raw = RawMcp(server.base_url, user.token)
    rpc_error(raw.request("tools/list"), 400, -32600)  # no session yet
    raw.initialize("2025-06-18")
    for bad in (raw.session + "x", raw.session[:-3], "s1.e30.e30", "nonsense"):
        rpc_error(raw.request("ping", headers={"Mcp-Session-Id": bad}), 404, -32600)
    # Another user cannot use this session, even with a valid credential of theirs.
    other = RawMcp(server.base_url, make_user().token)
    other.session, other.version = raw.session, raw.version
    rpc_error(other.request("ping"), 404, -32600)
    rpc_error(other.api.delete("/mcp", headers=other.headers()), 404, -32600)
    # The version header must be the negotiated one, and a version this server speaks.
    rpc_error(raw.request("ping", headers={"MCP-Protocol-Version": "2025-03-26"}), 400, -32020)
    body = rpc_error(raw.request("ping", headers={"MCP-Protocol-Version": "1999-01-01"}), 400, -32022)
    assert body["error"]["data"]["requested"] == "1999-01-01"
    assert "2025-11-25" in body["error"]["data"]["supported"] and MODERN in body["error"]["data"]["supported"]
    assert raw.request("ping").status_code == 200


def test_a_session_id_survives_a_restart_of_the_server(server_factory, tmp_path):
    """Session ids carry their own state, signed with a key from the JWT secret: any replica
    (here: the same data directory after a restart) accepts them."""
    srv = server_factory()
    from helpers import signup
    u = signup(srv.base_url)
    raw = RawMcp(srv.base_url, u.token)
    raw.initialize("2025-11-25")
    srv.stop()
    srv2 = server_factory(data_dir=srv.data_dir)
    raw.api.base_url = srv2.base_url
    r = raw.request("tools/list")
    assert r.status_code == 200, describe(r)


def test_the_2026_envelope_is_stateless_and_checked(server, user):
    raw = RawMcp(server.base_url, user.token)
    r = raw.modern("server/discover")
    assert r.status_code == 200, describe(r)
    result = r.json()["result"]
    assert MODERN in result["supportedVersions"] and "2025-11-25" in result["supportedVersions"]
    assert result["resultType"] == "complete" and result["cacheScope"] == "private"
    assert result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "tickler"
    assert "Mcp-Session-Id" not in r.headers
    r = raw.modern("tools/call", {"name": "add_task", "arguments": {"title": "Envelope " + unique_word()}})
    assert r.json()["result"]["structuredContent"]["title"].startswith("Envelope"), describe(r)
    # The headers must agree with the body.
    rpc_error(raw.modern("tools/list", headers={"Mcp-Method": "tools/call"}), 400, -32020)
    rpc_error(raw.modern("tools/call", {"name": "list_tags"}, headers={"Mcp-Name": "add_task"}), 400, -32020)
    r = raw.modern("tools/call", {"name": "list_tags"}, headers={"Mcp-Name": "=?base64?bGlzdF90YWdz?="})
    assert r.status_code == 200, describe(r)
    rpc_error(raw.request("tools/list", {"_meta": {"io.modelcontextprotocol/protocolVersion": MODERN}},
                          {"MCP-Protocol-Version": MODERN, "Mcp-Method": "tools/list"}), 400, -32602)
    rpc_error(raw.request("tools/list", {"_meta": {"io.modelcontextprotocol/protocolVersion": MODERN,
                                                   "io.modelcontextprotocol/clientCapabilities": {}}}),
              400, -32020)  # the envelope without the version header
    rpc_error(raw.modern("tools/list", headers={"MCP-Protocol-Version": "2025-11-25"}), 400, -32020)
    # Unknown methods are 404 in this revision; initialize belongs to the older ones.
    rpc_error(raw.modern("initialize"), 404, -32601)
    rpc_error(raw.modern("no/such"), 404, -32601)
    rpc_error(raw.modern("tools/call", {"name": "nope"}), 400, -32602)
    # Notifications are acknowledged; a batch or a posted response is not a request.
    r = raw.post({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}},
                 {"MCP-Protocol-Version": MODERN})
    assert r.status_code == 202 and r.text == "", describe(r)
    rpc_error(raw.post([{"jsonrpc": "2.0", "id": 1, "method": "ping"}], {"MCP-Protocol-Version": MODERN}),
              400, -32600)
    rpc_error(raw.post({"jsonrpc": "2.0", "id": 1, "result": {}}, {"MCP-Protocol-Version": MODERN}), 400, -32600)


@pytest.mark.parametrize("raw_body", [
    b"", b"{", b"\xff\xfe", b"null", b"1", b'"x"', b"[1]", b"{}", b'{"jsonrpc":"2.0"}',
    b'{"jsonrpc":"2.0","id":{},"method":"ping"}', b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[]}',
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":5}}',
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_task","arguments":[1]}}',
    b"[" + b"[" * 5000 + b"]" * 5000 + b"]",
])
@pytest.mark.parametrize("era", ["handshake", "modern"])
def test_malformed_json_rpc_gets_error_objects_never_a_5xx(server, user, raw_body, era):
    raw = RawMcp(server.base_url, user.token, version=MODERN if era == "modern" else None)
    if era == "handshake" and raw_body.startswith(b'{"jsonrpc":"2.0","id":1,"method":"tools/call"'):
        raw.initialize("2025-11-25")
    r = raw.post(None, raw=raw_body)
    assert 200 <= r.status_code < 500, describe(r)
    body = r.json()
    assert body["jsonrpc"] == "2.0" and body["error"]["code"] in (-32700, -32600, -32602, -32020), body


def test_tool_calls_with_bad_arguments_are_tool_errors(server, user):
    raw = RawMcp(server.base_url, user.token)
    raw.initialize("2025-11-25")
    for args, field in [({"id": -1}, "id"), ({"id": 1, "colour": "x"}, "colour"),
                        ({"id": 10**30}, "id"), ({"id": 999999999}, None)]:
        r = raw.request("tools/call", {"name": "get_task", "arguments": args})
        assert r.status_code == 200, describe(r)
        result = r.json()["result"]
        assert result["isError"] is True and result["content"][0]["type"] == "text", result
        if field:
            assert result["structuredContent"]["error"]["details"]["field"] == field
        else:
            assert result["structuredContent"]["error"]["code"] == "not_found"


def test_get_is_not_offered_and_json_must_be_acceptable(server, user):
    api = RawMcp(server.base_url, user.token).api
    r = api.get("/mcp", headers={"Accept": "text/event-stream"})
    assert r.status_code == 405 and "POST" in r.headers["Allow"], describe(r)
    raw = RawMcp(server.base_url, user.token)
    rpc_error(raw.request("ping", headers={"Accept": "text/event-stream"}), 406, -32600)
    r = raw.post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25"}},
                 {"Accept": "*/*"})
    assert r.status_code == 200, describe(r)


def test_origins_must_be_allowed(server_factory):
    srv = server_factory(extra_args=("--cors-origins", "http://localhost:5173"))
    from helpers import signup
    u = signup(srv.base_url)
    raw = RawMcp(srv.base_url, u.token)
    r = raw.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}},
                    {"Origin": "http://evil.example"})
    rpc_error(r, 403, -32600)
    rpc_error(raw.modern("server/discover", headers={"Origin": "http://localhost:5174"}), 403, -32600)
    r = raw.modern("server/discover", headers={"Origin": "http://localhost:5173"})
    assert r.status_code == 200, describe(r)
    assert raw.modern("server/discover").status_code == 200  # no Origin: not a browser
    # A browser client of an allowed origin may send MCP's headers and read the session id.
    pre = raw.api.options("/mcp", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, mcp-protocol-version, mcp-session-id"})
    assert pre.status_code == 204, describe(pre)
    allowed = {h.strip().lower() for h in pre.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"mcp-protocol-version", "mcp-session-id", "mcp-method", "mcp-name"} <= allowed
    r = raw.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}},
                    {"Origin": "http://localhost:5173"})
    assert "Mcp-Session-Id" in r.headers["Access-Control-Expose-Headers"], r.headers


def test_an_expired_or_foreign_credential_is_refused(server, user):
    raw = RawMcp(server.base_url, token_for(user.id, ttl=-60))
    assert raw.request("initialize", {"protocolVersion": "2025-11-25"}).status_code == 401
    raw = RawMcp(server.base_url, token_for(user.id, secret="x" * 40))
    assert raw.modern("server/discover").status_code == 401
    assert json.loads(raw.modern("server/discover").text)["error"]["code"] == "unauthorized"
