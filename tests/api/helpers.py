"""Shared helpers for the Tickler black-box API tests: HTTP client, JWT forging, assertions."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import re
import time
import uuid

import requests
import websocket

# The server under test is started with TICKLER_JWT_SECRET set to this, so tests can forge tokens.
TEST_SECRET = "tickler-black-box-test-secret-5b1f0c2e9a7d4e38"
DEFAULT_PASSWORD = "correct horse battery staple"
REQUEST_TIMEOUT = 30.0
READY_TIMEOUT = 15.0  # seconds a starting server has to answer 200 on /healthz
STOP_TIMEOUT = 15.0  # seconds a server has to exit after SIGTERM

INSTANT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
SANE_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
TASK_KEYS = {
    "id", "title", "description", "status", "priority", "tags", "due_at", "time_zone",
    "created_at", "updated_at", "completed_at", "version",
}
USER_KEYS = {"id", "email", "name", "created_at"}


class Api(requests.Session):
    """A requests.Session bound to one server: relative paths, a default timeout, no proxies."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = REQUEST_TIMEOUT):
        super().__init__()
        self.base_url = base_url
        self.timeout = timeout
        self.trust_env = False  # never route 127.0.0.1 through an HTTP proxy from the environment
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


@dataclasses.dataclass
class User:
    api: Api
    token: str
    id: int
    email: str
    password: str
    user: dict


def describe(resp: requests.Response) -> str:
    """One line for assertion messages: the request and what came back."""
    req = resp.request
    return f"{req.method} {req.url} -> {resp.status_code} {resp.headers.get('Content-Type')} {resp.text[:600]!r}"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}@example.com"


def unique_word(prefix: str = "w") -> str:
    """A word no other test uses (letters and digits only, so it is one search token)."""
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def signup(base_url: str, email: str | None = None, password: str = DEFAULT_PASSWORD,
           name: str = "Tester") -> User:
    api = Api(base_url)
    email = email or unique_email()
    resp = api.post("/api/auth/signup", json={"email": email, "password": password, "name": name})
    assert resp.status_code == 201, describe(resp)
    body = resp.json()
    api.headers["Authorization"] = f"Bearer {body['token']}"
    return User(api=api, token=body["token"], id=body["user"]["id"], email=email,
                password=password, user=body["user"])


# --- JWT -------------------------------------------------------------------------------------

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_segments(header_b64: str, payload_b64: str, secret: str = TEST_SECRET) -> str:
    """header.payload.signature with a correct HS256 signature over whatever the segments hold."""
    signing_input = header_b64 + "." + payload_b64
    sig = hmac.new(secret.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + b64url(sig)


def sign_jwt(claims: dict, secret: str = TEST_SECRET, header: dict | None = None) -> str:
    header = header if header is not None else {"alg": "HS256", "typ": "JWT"}
    return sign_segments(b64url(json.dumps(header, separators=(",", ":")).encode()),
                         b64url(json.dumps(claims, separators=(",", ":")).encode()), secret)


def token_for(user_id, ttl: int = 3600, secret: str = TEST_SECRET, **overrides) -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "iat": now, "exp": now + ttl}
    claims.update(overrides)
    return sign_jwt(claims, secret=secret)


# --- assertions ------------------------------------------------------------------------------

def assert_error(resp: requests.Response, status: int, code: str | None = None) -> dict:
    """Asserts the status and the documented error envelope; returns the "error" object."""
    assert resp.status_code == status, describe(resp)
    assert resp.headers.get("Content-Type", "").startswith("application/json"), describe(resp)
    body = resp.json()
    assert isinstance(body, dict) and set(body) == {"error"}, describe(resp)
    err = body["error"]
    assert isinstance(err, dict), describe(resp)
    assert {"code", "message", "details"} <= set(err), describe(resp)
    assert isinstance(err["code"], str) and err["code"], describe(resp)
    assert isinstance(err["message"], str) and err["message"].strip(), describe(resp)
    assert isinstance(err["details"], dict), describe(resp)
    if code is not None:
        assert err["code"] == code, describe(resp)
    return err


def assert_4xx_envelope(resp: requests.Response) -> None:
    """For inputs whose exact status the contract leaves open: a 4xx with the error envelope."""
    assert 400 <= resp.status_code < 500, describe(resp)
    assert_error(resp, resp.status_code)


def field_matches(reported, field: str) -> bool:
    """details.field names `field`; an element of a list may be named `tags[3]` or `tags.3`."""
    return isinstance(reported, str) and (
        reported == field or re.fullmatch(re.escape(field) + r"(\[\d+\]|\.\d+)", reported) is not None)


def assert_validation(resp: requests.Response, field: str) -> dict:
    err = assert_error(resp, 422, "validation_failed")
    assert field_matches(err["details"].get("field"), field), describe(resp)
    problem = err["details"].get("problem")
    assert isinstance(problem, str) and problem.strip(), describe(resp)
    return err


def assert_bad_parameter(resp: requests.Response, parameter: str) -> dict:
    err = assert_error(resp, 400, "invalid_parameter")
    assert err["details"].get("parameter") == parameter, describe(resp)
    return err


def assert_instant(value) -> None:
    assert isinstance(value, str) and INSTANT_RE.match(value), f"not a UTC millisecond instant: {value!r}"


def assert_task(task: dict) -> None:
    """The documented task shape (extra fields are allowed: the contract may be extended)."""
    assert isinstance(task, dict) and TASK_KEYS <= set(task), task
    assert isinstance(task["id"], int) and task["id"] > 0, task
    assert isinstance(task["title"], str) and isinstance(task["description"], str), task
    assert task["status"] in ("pending", "completed"), task
    assert task["priority"] in ("high", "medium", "low", "none"), task
    assert isinstance(task["tags"], list) and all(isinstance(t, str) for t in task["tags"]), task
    assert isinstance(task["time_zone"], str) and task["time_zone"], task
    assert isinstance(task["version"], int) and task["version"] >= 1, task
    for key in ("created_at", "updated_at"):
        assert_instant(task[key])
    for key in ("due_at", "completed_at"):
        if task[key] is not None:
            assert_instant(task[key])
    assert (task["completed_at"] is None) == (task["status"] == "pending"), task


def assert_task_response(resp: requests.Response, status: int = 200) -> dict:
    """A task answer: status, shape, and ETag = "<version>"."""
    assert resp.status_code == status, describe(resp)
    task = resp.json()
    assert_task(task)
    assert resp.headers.get("ETag") == f'"{task["version"]}"', describe(resp) + f" ETag={resp.headers.get('ETag')!r}"
    return task


def assert_user(user: dict) -> None:
    assert isinstance(user, dict) and USER_KEYS <= set(user), user
    assert isinstance(user["id"], int) and user["id"] > 0, user
    assert_instant(user["created_at"])
    assert not any("password" in key.lower() or "hash" in key.lower() for key in user), user



def wait_until(probe, what: str = "condition", timeout: float = 20.0):
    """Polls probe until it returns something truthy and returns it; fails with the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}; last value: {value!r}"
        time.sleep(0.02)

def written_history(api, task_id) -> list:
    """A task's audit history once the auditor wrote its first record (404 until then: the
    history is written after the change, from its event)."""
    def items():
        r = api.get(f"/api/tasks/{task_id}/history")
        return r.json()["items"] if r.status_code == 200 else None

    return wait_until(items, "the history")


def close_code(ws: websocket.WebSocket, timeout: float = 10) -> int | None:
    """Reads until the server's close frame; its code (None when the connection just ended)."""
    ws.settimeout(timeout)
    try:
        for _ in range(1000):
            opcode, data = ws.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return int.from_bytes(data[:2], "big") if len(data) >= 2 else None
    except (websocket.WebSocketException, OSError):
        return None
    finally:
        ws.shutdown()
    return None


def create_task(api: Api, **fields) -> dict:
    fields.setdefault("title", "task " + unique_word())
    return assert_task_response(api.post("/api/tasks", json=fields), 201)


def list_all(api: Api, params=(), limit: int = 200, max_pages: int = 500) -> tuple[list[dict], int]:
    """Follows next_cursor to the end; returns (items in order, number of pages). Bounded."""
    params = list(params.items()) if isinstance(params, dict) else list(params)
    items: list[dict] = []
    cursor = None
    for page in range(1, max_pages + 1):
        query = params + [("limit", str(limit))] + ([("cursor", cursor)] if cursor else [])
        resp = api.get("/api/tasks", params=query)
        assert resp.status_code == 200, describe(resp)
        body = resp.json()
        assert set(body) >= {"items", "next_cursor"}, describe(resp)
        assert isinstance(body["items"], list) and len(body["items"]) <= limit, describe(resp)
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items, page
        assert isinstance(cursor, str) and cursor, describe(resp)
        assert body["items"], "a page with a next_cursor must not be empty: " + describe(resp)
    raise AssertionError(f"pagination did not end within {max_pages} pages for {params}")


def ids(items) -> list[int]:
    return [t["id"] for t in items]
