"""OAuth 2.1 in the distributed stack: the api role serves the authorization server with its state
in the api's PostgreSQL. The official SDK's OAuth client provider connects an MCP client on the
api's origin end to end; through the frontend, every OAuth route (a form-encoded token request
included) is passed on to the api and the token it gives works on /mcp there."""

from __future__ import annotations

import asyncio
import time

from flows import EVENT_WAIT
from helpers import Api, describe, signup, unique_word
from oauth_support import (REDIRECT, Browser, MemoryStorage, answer, exchange, mcp_initialize,
                           query_of, refresh, register, pkce)

from e2e_support import wait_until  # noqa: E402 (after the suite's sys.path set-up)


def test_the_sdk_oauth_client_provider_through_the_distributed_stack(api_url):
    import httpx2
    from mcp import Client
    from mcp.client.auth import OAuthClientProvider
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared.auth import OAuthClientMetadata

    person = signup(api_url)
    browser = Browser(api_url, person.email, person.password)
    storage = MemoryStorage()
    provider = OAuthClientProvider(
        server_url=f"{api_url}/mcp",
        client_metadata=OAuthClientMetadata(client_name="Stack Client", redirect_uris=[REDIRECT],
                                            grant_types=["authorization_code", "refresh_token"]),
        storage=storage, redirect_handler=browser.redirect_handler,
        callback_handler=browser.callback_handler)
    title = f"Over OAuth in the stack {unique_word()}"

    async def session(work):
        async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30.0),
                                      trust_env=False) as http:
            async with Client(streamable_http_client(f"{api_url}/mcp", http_client=http),
                              read_timeout_seconds=30.0) as client:
                return await work(client)

    async def add(client):
        created = await client.call_tool("add_task", {"title": title})
        assert not created.is_error, created.content
        return created.structured_content

    task = asyncio.run(session(add))
    assert len(browser.visits) == 1

    # The history is the auditor's and the notifications the notifier's: the api passes the
    # tools' routes on for the OAuth client (its token itself is good on /mcp only).
    async def history_and_notifications(client):
        deadline = asyncio.get_running_loop().time() + EVENT_WAIT
        while True:  # not_found until the auditor has the task's first event
            history = await client.call_tool("task_history", {"id": task["id"]})
            if not history.is_error or asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.3)
        notes = await client.call_tool("list_notifications", {"limit": 5})
        return history, notes

    history, notes = asyncio.run(session(history_and_notifications))
    assert not history.is_error, history.content
    assert history.structured_content["items"][0]["actor"] == "mcp:Stack Client"
    assert not notes.is_error, notes.content

    first = storage.tokens
    provider.context.token_expiry_time = time.time() - 1  # refresh on the next request
    asyncio.run(session(lambda c: c.call_tool("list_tasks", {"q": title})))
    assert storage.tokens.refresh_token != first.refresh_token
    [grant] = person.api.get("/api/oauth/grants").json()["items"]
    assert person.api.delete(f"/api/oauth/grants/{grant['id']}").status_code == 204
    assert mcp_initialize(Api(api_url), storage.tokens.access_token).status_code == 401


def test_the_oauth_routes_pass_through_the_frontend(frontend):
    web = Api(frontend.url)

    def metadata():  # the frontend's first invocation of the api may wait for its sidecar
        r = web.get("/.well-known/oauth-authorization-server")
        return r if r.status_code == 200 else None

    issuer = wait_until(metadata, EVENT_WAIT, interval=0.3, what="the metadata via the frontend")
    base = issuer.json()["issuer"]  # the api's own (no --public-url in the stack)
    prm = web.get("/.well-known/oauth-protected-resource/mcp")
    assert prm.status_code == 200 and prm.json()["resource"] == f"{base}/mcp", describe(prm)
    app = register(web)
    person = signup(frontend.url)
    verifier, challenge = pkce()
    resp = web.get("/oauth/authorize", allow_redirects=False, params={
        "response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT,
        "state": "s", "code_challenge": challenge, "code_challenge_method": "S256",
        "resource": f"{base}/mcp"})
    assert resp.status_code == 302, describe(resp)
    request = query_of(resp.headers["Location"])["request"]
    back = answer(person.api, request)
    assert back["state"] == "s"
    tokens = exchange(web, app["client_id"], back["code"], verifier, resource=f"{base}/mcp")
    assert tokens.status_code == 200, describe(tokens)
    access = tokens.json()["access_token"]
    assert mcp_initialize(web, access).status_code == 200
    assert refresh(web, app["client_id"], tokens.json()["refresh_token"]).status_code == 200
    revoked = web.post("/oauth/revoke", data={"client_id": app["client_id"], "token": access})
    assert revoked.status_code == 200, describe(revoked)
    assert mcp_initialize(web, access).status_code == 401
