"""The OAuth 2.1 authorization server of /mcp (docs/mcp.md, "Authorization"): discovery, dynamic
client registration, authorization with the user's consent, PKCE, exact redirect URIs, the
resource indicator, tokens refreshed with rotation and reuse detection, revocation, the
audience check, and the user's connected apps; then the official MCP SDK's OAuth client
provider driving the whole flow against /mcp."""

from __future__ import annotations

import asyncio
import time

import pytest

from helpers import assert_error, describe, signup, written_history
from oauth_support import (REDIRECT, SCOPES, Browser, MemoryStorage, answer, assert_oauth_error,
                           code_for, exchange, mcp_initialize, pkce, refresh, register,
                           start_authorization, token)


@pytest.fixture
def app(server) -> dict:
    return register(server.client())


def tokens_for(server, user, client_id: str) -> dict:
    api = server.client()
    code, verifier = code_for(api, user.api, client_id)
    resp = exchange(api, client_id, code, verifier)
    assert resp.status_code == 200, describe(resp)
    assert resp.headers["Cache-Control"] == "no-store"
    return resp.json()


def grant_ids(user) -> list[int]:
    resp = user.api.get("/api/oauth/grants")
    assert resp.status_code == 200, describe(resp)
    return [g["id"] for g in resp.json()["items"]]


@pytest.fixture(scope="module")
def mcp_served(server) -> bool:
    """Whether /mcp is served (the MCP server comes from its own branch)."""
    return server.client().post("/mcp", json={}).status_code != 404


def needs_mcp(mcp_served):
    if not mcp_served:
        pytest.skip("/mcp is not served by this build")


def test_discovery_documents_name_the_mcp_resource_and_this_server(server):
    api = server.client()
    base = server.base_url
    for path in ("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"):
        prm = api.get(path)
        assert prm.status_code == 200, describe(prm)
        assert prm.json()["resource"] == f"{base}/mcp"
        assert prm.json()["authorization_servers"] == [base]
        assert prm.json()["scopes_supported"] == ["tasks:read", "tasks:write"]
    asm = api.get("/.well-known/oauth-authorization-server")
    assert asm.status_code == 200, describe(asm)
    meta = asm.json()
    assert meta["issuer"] == base
    assert meta["authorization_endpoint"] == f"{base}/oauth/authorize"
    assert meta["token_endpoint"] == f"{base}/oauth/token"
    assert meta["registration_endpoint"] == f"{base}/oauth/register"
    assert meta["revocation_endpoint"] == f"{base}/oauth/revoke"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["authorization_response_iss_parameter_supported"] is True
    assert {"authorization_code", "refresh_token"} == set(meta["grant_types_supported"])


def test_the_public_url_is_the_issuer_whatever_the_host(server_factory):
    srv = server_factory(extra_args=("--public-url", "https://tickler.example.com/"))
    api = srv.client()
    assert api.get("/.well-known/oauth-authorization-server").json()["issuer"] == \
        "https://tickler.example.com"
    assert api.get("/.well-known/oauth-protected-resource/mcp").json()["resource"] == \
        "https://tickler.example.com/mcp"


def test_registration_validates_the_metadata(server):
    api = server.client()
    confidential = api.post("/oauth/register", json={"redirect_uris": [REDIRECT],
                                                     "client_name": "Server App"})
    assert confidential.status_code == 201, describe(confidential)
    body = confidential.json()
    assert body["token_endpoint_auth_method"] == "client_secret_basic"
    assert body["client_secret"] and body["client_secret_expires_at"] == 0
    public = register(api)
    assert "client_secret" not in public and public["token_endpoint_auth_method"] == "none"
    for bad, code in [({}, "invalid_redirect_uri"),
                      ({"redirect_uris": ["http://evil.example.com/cb"]}, "invalid_redirect_uri"),
                      ({"redirect_uris": ["javascript:alert(1)"]}, "invalid_redirect_uri"),
                      ({"redirect_uris": [REDIRECT], "grant_types": ["password"]},
                       "invalid_client_metadata"),
                      ({"redirect_uris": [REDIRECT], "scope": "admin"}, "invalid_client_metadata"),
                      ({"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "private_key_jwt"},
                       "invalid_client_metadata")]:
        assert_oauth_error(api.post("/oauth/register", json=bad), 400, code)
    assert_oauth_error(api.post("/oauth/register", data=b"[1]",
                                headers={"Content-Type": "application/json"}), 400,
                       "invalid_client_metadata")


def test_authorization_code_with_pkce_gives_tokens_for_mcp_only(server, user, app, mcp_served):
    auth = start_authorization(server.client(), app["client_id"])
    assert auth.view["client_name"] == "OAuth Test App"
    assert auth.view["redirect_host"] == "127.0.0.1" and auth.view["loopback"] is True
    assert auth.view["scopes"] == ["tasks:read", "tasks:write"]
    back = answer(user.api, auth.request)
    assert back["state"] == auth.state and back["iss"] == server.base_url
    resp = exchange(server.client(), app["client_id"], back["code"], auth.verifier)
    assert resp.status_code == 200, describe(resp)
    tokens = resp.json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
    assert tokens["access_token"].startswith("tkl_oat_")
    assert tokens["refresh_token"].startswith("tkl_ort_")
    assert tokens["scope"] == SCOPES
    # Audience-checked: on any other route the token is refused.
    oauth = server.client(tokens["access_token"])
    for method, path in [("GET", "/api/tasks"), ("GET", "/api/me"), ("GET", "/api/oauth/grants"),
                         ("POST", "/api/oauth/consent")]:
        refused = oauth.request(method, path, json={} if method == "POST" else None)
        assert_error(refused, 401, "invalid_token")
        assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    grants = user.api.get("/api/oauth/grants").json()["items"]
    assert len(grants) == 1 and grants[0]["client_name"] == "OAuth Test App"
    assert grants[0]["scopes"] == ["tasks:read", "tasks:write"]
    if mcp_served:
        ok = mcp_initialize(server.client(), tokens["access_token"])
        assert ok.status_code == 200, describe(ok)


def test_a_wrong_verifier_or_redirect_uri_or_a_reused_code_gets_no_tokens(server, user, app):
    api = server.client()
    client_id = app["client_id"]
    code, verifier = code_for(api, user.api, client_id)
    other_verifier, _ = pkce()
    assert_oauth_error(exchange(api, client_id, code, other_verifier), 400, "invalid_grant")
    assert_oauth_error(exchange(api, client_id, code, verifier, "http://127.0.0.1:53682/other"),
                       400, "invalid_grant")
    assert_oauth_error(exchange(api, client_id, code, verifier,
                                resource="http://127.0.0.1:1/mcp"), 400, "invalid_target")
    other = register(api)
    assert_oauth_error(exchange(api, other["client_id"], code, verifier), 400, "invalid_grant")
    first = exchange(api, client_id, code, verifier)
    assert first.status_code == 200, describe(first)
    assert_oauth_error(exchange(api, client_id, code, verifier), 400, "invalid_grant")
    # The reused code took back what it gave: its refresh token no longer works.
    assert_oauth_error(refresh(api, client_id, first.json()["refresh_token"]), 400, "invalid_grant")
    assert_oauth_error(token(api, {"grant_type": "password", "client_id": client_id}), 400,
                       "unsupported_grant_type")
    assert_oauth_error(token(api, {"grant_type": "authorization_code", "client_id": "nope"}), 401,
                       "invalid_client")


def test_authorize_never_redirects_to_an_unregistered_uri(server, app):
    api = server.client()
    base = {"response_type": "code", "client_id": app["client_id"], "state": "s",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256"}
    for params in [base | {"redirect_uri": "https://evil.example.com/cb"},
                   base | {"client_id": "unknown", "redirect_uri": REDIRECT}]:
        resp = api.get("/oauth/authorize", params=params, allow_redirects=False)
        assert resp.status_code == 302, describe(resp)
        assert resp.headers["Location"].startswith(f"{server.base_url}/oauth/consent?error="), \
            resp.headers["Location"]
    for change, code in [({"code_challenge_method": "plain"}, "invalid_request"),
                         ({"response_type": "token"}, "unsupported_response_type"),
                         ({"scope": "tasks:admin"}, "invalid_scope"),
                         ({"resource": "https://other.example.com/mcp"}, "invalid_target")]:
        resp = api.get("/oauth/authorize", params=base | {"redirect_uri": REDIRECT} | change,
                       allow_redirects=False)
        assert resp.status_code == 302, describe(resp)
        location = resp.headers["Location"]
        assert location.startswith(REDIRECT + "?error=" + code), location
        assert "state=s" in location and "iss=" in location


def test_deny_redirects_with_access_denied(server, user, app):
    auth = start_authorization(server.client(), app["client_id"])
    back = answer(user.api, auth.request, approve=False)
    assert back["error"] == "access_denied" and back["state"] == auth.state
    assert "code" not in back
    assert grant_ids(user) == []
    # Consent needs the web session.
    anon = server.client().post("/api/oauth/consent", json={"request": auth.request, "approve": True})
    assert_error(anon, 401)
    forged = user.api.post("/api/oauth/consent", json={"request": auth.request + "x", "approve": True})
    assert_error(forged, 400, "invalid_request")


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_grant(server, user, app, mcp_served):
    api = server.client()
    client_id = app["client_id"]
    first = tokens_for(server, user, client_id)
    second = refresh(api, client_id, first["refresh_token"], scope="tasks:read")
    assert second.status_code == 200, describe(second)
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"] and rotated["scope"] == "tasks:read"
    assert_oauth_error(refresh(api, client_id, rotated["refresh_token"], scope=SCOPES), 400,
                       "invalid_scope")
    # The first refresh token again: it leaked, so the whole grant goes.
    assert_oauth_error(refresh(api, client_id, first["refresh_token"]), 400, "invalid_grant")
    assert grant_ids(user) == []
    assert_oauth_error(refresh(api, client_id, rotated["refresh_token"]), 400, "invalid_grant")
    if mcp_served:
        for t in (first, rotated):
            assert mcp_initialize(api, t["access_token"]).status_code == 401


def test_revoking_a_grant_stops_its_tokens_at_once(server, user, app, mcp_served):
    api = server.client()
    tokens = tokens_for(server, user, app["client_id"])
    if mcp_served:
        assert mcp_initialize(api, tokens["access_token"]).status_code == 200
    [grant] = grant_ids(user)
    other = signup(server.base_url)
    assert grant_ids(other) == []
    assert_error(other.api.delete(f"/api/oauth/grants/{grant}"), 404)
    assert_error(server.client(tokens["access_token"]).delete(f"/api/oauth/grants/{grant}"), 401)
    assert user.api.delete(f"/api/oauth/grants/{grant}").status_code == 204
    assert_error(user.api.delete(f"/api/oauth/grants/{grant}"), 404)
    assert grant_ids(user) == []
    assert_oauth_error(refresh(api, app["client_id"], tokens["refresh_token"]), 400, "invalid_grant")
    if mcp_served:
        refused = mcp_initialize(api, tokens["access_token"])
        assert refused.status_code == 401, describe(refused)
    # Consenting again makes a new grant that works.
    again = tokens_for(server, user, app["client_id"])
    assert len(grant_ids(user)) == 1
    assert refresh(api, app["client_id"], again["refresh_token"]).status_code == 200


def test_the_revocation_endpoint(server, user):
    api = server.client()
    app = register(api, token_endpoint_auth_method="client_secret_post")
    creds = {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    code, verifier = code_for(api, user.api, app["client_id"])
    resp = exchange(api, app["client_id"], code, verifier, client_secret=app["client_secret"])
    assert resp.status_code == 200, describe(resp)
    tokens = resp.json()
    assert_oauth_error(api.post("/oauth/revoke", data={"token": tokens["access_token"],
                                                       "client_id": app["client_id"]}),
                       401, "invalid_client")
    assert api.post("/oauth/revoke", data=creds | {"token": "unknown"}).status_code == 200
    assert api.post("/oauth/revoke", data=creds | {"token": tokens["refresh_token"],
                                                   "token_type_hint": "refresh_token"}).status_code == 200
    assert grant_ids(user) == []
    # HTTP Basic works too (client_secret_basic).
    code, verifier = code_for(api, user.api, app["client_id"])
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "code_verifier": verifier}
    assert token(api, form, auth=(app["client_id"], app["client_secret"])).status_code == 200
    assert_oauth_error(token(api, form, auth=(app["client_id"], "wrong")), 401, "invalid_client")


def test_bad_input_never_answers_5xx(server, app):
    api = server.client()
    for body in [b"", b"%zz", b"a=1&a=2", b"grant_type=" + b"x" * 5000, "é=ü".encode()]:
        resp = api.post("/oauth/token", data=body,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert 400 <= resp.status_code < 500, describe(resp)
    resp = api.post("/oauth/token", data=b"x", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 415, describe(resp)
    for params in [{}, {"client_id": "x" * 3000}, {"client_id": app["client_id"], "redirect_uri": "::"}]:
        resp = api.get("/oauth/authorize", params=params, allow_redirects=False)
        assert resp.status_code in (302, 400), describe(resp)
    for request in ["", "a.b", "x" * 5000]:
        resp = api.get("/api/oauth/consent", params={"request": request})
        assert_error(resp, 400, "invalid_request")


def test_an_unauthenticated_mcp_request_says_where_the_metadata_is(server, mcp_served):
    needs_mcp(mcp_served)
    resp = mcp_initialize(server.client(), None)
    assert resp.status_code == 401, describe(resp)
    challenge = resp.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ")
    assert f'resource_metadata="{server.base_url}/.well-known/oauth-protected-resource/mcp"' in \
        challenge
    assert f'scope="{SCOPES}"' in challenge
    bad = mcp_initialize(server.client(), "tkl_oat_not-a-token")
    assert bad.status_code == 401 and 'error="invalid_token"' in bad.headers["WWW-Authenticate"]


def test_the_sdk_oauth_client_provider_end_to_end(server, make_user, mcp_served):
    """Discovery → registration → authorization (the browser signs in and consents) → token →
    tool calls → refresh → revocation, through the official SDK's OAuthClientProvider."""
    needs_mcp(mcp_served)
    import httpx2
    from mcp import Client
    from mcp.client.auth import OAuthClientProvider
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared.auth import OAuthClientMetadata

    person = make_user()
    browser = Browser(server.base_url, person.email, person.password)
    storage = MemoryStorage()
    provider = OAuthClientProvider(
        server_url=f"{server.base_url}/mcp",
        client_metadata=OAuthClientMetadata(client_name="SDK Test Client",
                                            redirect_uris=[REDIRECT],
                                            grant_types=["authorization_code", "refresh_token"]),
        storage=storage, redirect_handler=browser.redirect_handler,
        callback_handler=browser.callback_handler)

    async def session(work):
        async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30.0),
                                      trust_env=False) as http:
            async with Client(streamable_http_client(f"{server.base_url}/mcp", http_client=http),
                              read_timeout_seconds=30.0) as client:
                return await work(client)

    async def add_and_list(client):
        created = await client.call_tool("add_task", {"title": "Written over OAuth"})
        assert not created.is_error, created.content
        listed = await client.call_tool("list_tasks", {})
        return created.structured_content, listed.structured_content

    created, listed = asyncio.run(session(add_and_list))
    assert len(browser.visits) == 1 and browser.views[0]["client_name"] == "SDK Test Client"
    assert created["id"] in [t["id"] for t in listed["items"]]
    assert storage.client_info.client_secret  # registered as a confidential client (Basic)
    first = storage.tokens
    assert first.access_token.startswith("tkl_oat_") and first.refresh_token
    # The audit trail names the client.
    history = written_history(person.api, created["id"])
    assert history[0]["actor"] == "mcp:SDK Test Client"

    # The access token expires (as the provider sees it): it refreshes, rotating the refresh token.
    provider.context.token_expiry_time = time.time() - 1
    asyncio.run(session(lambda c: c.call_tool("list_tags", {})))
    second = storage.tokens
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token
    assert len(browser.visits) == 1  # no new consent

    # The user disconnects the app: its token stops working at once.
    [grant] = grant_ids(person)
    assert person.api.delete(f"/api/oauth/grants/{grant}").status_code == 204
    refused = mcp_initialize(server.client(), second.access_token)
    assert refused.status_code == 401, describe(refused)
