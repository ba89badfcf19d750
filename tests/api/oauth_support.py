"""Helpers of the OAuth tests: PKCE, client registration, the authorization request followed as a
browser follows it (the redirect to the consent page, the same api route the page uses to
allow or deny), the token endpoint, and the official MCP SDK's OAuth client provider wired to
that browser.

Also usable by tests/integration (the distributed stack)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from helpers import Api, describe

REDIRECT = "http://127.0.0.1:53682/callback"
SCOPES = "tasks:read tasks:write"


def pkce() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def register(api: Api, **metadata) -> dict:
    body = {"redirect_uris": [REDIRECT], "client_name": "OAuth Test App",
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"]}
    body.update(metadata)
    resp = api.post("/oauth/register", json=body)
    assert resp.status_code == 201, describe(resp)
    return resp.json()


@dataclass
class Authorization:
    request: str      # the sealed request the consent page carries
    view: dict        # what the consent page shows
    verifier: str
    state: str


def start_authorization(api: Api, client_id: str, *, redirect_uri: str = REDIRECT,
                        scope: str = SCOPES, resource: str | None = None,
                        extra: dict | None = None) -> Authorization:
    """GET /oauth/authorize as the browser does, to the consent page; what the page loads."""
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(16)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
              "state": state, "code_challenge": challenge, "code_challenge_method": "S256",
              "scope": scope, "resource": resource or f"{api.base_url}/mcp"}
    params.update(extra or {})
    resp = api.get("/oauth/authorize?" + urlencode(params), allow_redirects=False)
    assert resp.status_code == 302, describe(resp)
    location = resp.headers["Location"]
    assert urlsplit(location).path == "/oauth/consent", location
    request = query_of(location)["request"]
    view = api.get("/api/oauth/consent", params={"request": request})
    assert view.status_code == 200, describe(view)
    return Authorization(request, view.json(), verifier, state)


def answer(session: Api, request: str, approve: bool = True) -> dict[str, str]:
    """The consent page's Allow / Deny with the signed-in user's session: the parameters of
    the redirect back to the client."""
    resp = session.post("/api/oauth/consent", json={"request": request, "approve": approve})
    assert resp.status_code == 200, describe(resp)
    redirect_to = resp.json()["redirect_to"]
    assert redirect_to.split("?")[0] == REDIRECT, redirect_to
    return query_of(redirect_to)


def code_for(api: Api, session: Api, client_id: str, **kw) -> tuple[str, str]:
    """(code, verifier) for the session's user."""
    auth = start_authorization(api, client_id, **kw)
    back = answer(session, auth.request)
    assert back["state"] == auth.state and back["iss"] == api.base_url, back
    return back["code"], auth.verifier


def token(api: Api, form: dict, auth: tuple[str, str] | None = None):
    return api.post("/oauth/token", data=form, auth=auth)


def exchange(api: Api, client_id: str, code: str, verifier: str, redirect_uri: str = REDIRECT,
             **extra):
    form = {"grant_type": "authorization_code", "code": code, "client_id": client_id,
            "redirect_uri": redirect_uri, "code_verifier": verifier,
            "resource": f"{api.base_url}/mcp"}
    form.update(extra)
    return token(api, form)


def refresh(api: Api, client_id: str, refresh_token: str, **extra):
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id}
    form.update(extra)
    return token(api, form)


def assert_oauth_error(resp, status: int, code: str) -> dict:
    assert resp.status_code == status, describe(resp)
    body = resp.json()
    assert body["error"] == code, describe(resp)
    assert isinstance(body.get("error_description"), str), describe(resp)
    return body


def mcp_initialize(api: Api, access_token: str | None):
    """An MCP initialize request to /mcp with the token (as a 2025-03-26 client sends it)."""
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    if access_token:
        headers["Authorization"] = f"Bearer {access_token}"
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-03-26", "capabilities": {},
                       "clientInfo": {"name": "oauth test", "version": "1.0"}}}
    return api.post("/mcp", json=body, headers=headers)


class Browser:
    """What the SDK's redirect and callback handlers stand for: a person's browser that follows
    the authorization URL, is (or gets) signed in, and allows or denies on the consent page."""

    def __init__(self, base_url: str, email: str, password: str, approve: bool = True):
        self.base_url = base_url
        self.email = email
        self.password = password
        self.approve = approve
        self.visits: list[str] = []
        self.views: list[dict] = []

    async def redirect_handler(self, authorization_url: str) -> None:
        self.visits.append(authorization_url)

    def _consent(self) -> dict[str, str]:
        page = Api(self.base_url)
        resp = page.get(self.visits[-1], allow_redirects=False)
        assert resp.status_code == 302, describe(resp)
        request = query_of(resp.headers["Location"])["request"]
        view = page.get("/api/oauth/consent", params={"request": request})
        assert view.status_code == 200, describe(view)
        self.views.append(view.json())
        login = page.post("/api/auth/login", json={"email": self.email, "password": self.password})
        assert login.status_code == 200, describe(login)
        page.headers["Authorization"] = f"Bearer {login.json()['token']}"
        resp = page.post("/api/oauth/consent", json={"request": request, "approve": self.approve})
        assert resp.status_code == 200, describe(resp)
        return query_of(resp.json()["redirect_to"])

    async def callback_handler(self):
        import asyncio

        from mcp.shared.auth import AuthorizationCodeResult

        back = await asyncio.to_thread(self._consent)
        if "error" in back:
            raise PermissionError(back["error"])
        return AuthorizationCodeResult(code=back["code"], state=back.get("state"),
                                       iss=back.get("iss"))


class MemoryStorage:
    """The SDK's TokenStorage in memory."""

    def __init__(self):
        self.tokens = None
        self.client_info = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens) -> None:
        self.tokens = tokens

    async def get_client_info(self):
        return self.client_info

    async def set_client_info(self, client_info) -> None:
        self.client_info = client_info
