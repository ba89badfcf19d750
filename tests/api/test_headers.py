"""X-Request-Id, security headers, CORS, 405 with Allow, 404 with the error envelope."""

import pytest

from helpers import SANE_REQUEST_ID_RE, assert_error, create_task, describe
from tickler_server import TicklerServer

# --- X-Request-Id -------------------------------------------------------------------------------


@pytest.mark.parametrize("request_id", ["abc-123", "A.b_C-9", "x", "r" * 128, "0123456789abcdef" * 8])
def test_sane_request_id_is_echoed(anon, request_id):
    resp = anon.get("/healthz", headers={"X-Request-Id": request_id})
    assert resp.headers.get("X-Request-Id") == request_id


@pytest.mark.parametrize("request_id", ["r" * 129, "has space", "semi;colon", "a/b", "<script>", "ümlaut",
                                        "tab\there", "quote\"d", ""],
                         ids=["129-chars", "space", "semicolon", "slash", "angle", "non-ascii", "tab",
                              "quote", "empty"])
def test_insane_request_id_is_replaced(anon, request_id):
    resp = anon.get("/healthz", headers={"X-Request-Id": request_id})
    assert resp.status_code == 200, describe(resp)
    got = resp.headers.get("X-Request-Id")
    assert got and got != request_id
    assert SANE_REQUEST_ID_RE.match(got), got


def test_request_id_is_generated_when_absent(anon):
    first = anon.get("/healthz").headers.get("X-Request-Id")
    second = anon.get("/healthz").headers.get("X-Request-Id")
    assert first and second and first != second
    assert SANE_REQUEST_ID_RE.match(first) and SANE_REQUEST_ID_RE.match(second)


def test_request_id_on_errors_too(anon, api):
    for resp in (anon.get("/api/me", headers={"X-Request-Id": "err-401"}),
                 api.get("/api/nope", headers={"X-Request-Id": "err-404"}),
                 api.post("/api/tasks", json={}, headers={"X-Request-Id": "err-422"})):
        assert resp.status_code >= 400
        assert resp.headers.get("X-Request-Id") == f"err-{resp.status_code}", describe(resp)


# --- security headers -----------------------------------------------------------------------------

SECURITY = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


def _responses(anon, api):
    task = create_task(api)
    return {
        "healthz": anon.get("/healthz"),
        "metrics": anon.get("/metrics"),
        "openapi": anon.get("/api/openapi.json"),
        "me": api.get("/api/me"),
        "list": api.get("/api/tasks"),
        "task": api.get(f"/api/tasks/{task['id']}"),
        "delete-204": api.delete(f"/api/tasks/{task['id']}"),
        "401": anon.get("/api/tasks"),
        "404": api.get("/api/nope"),
        "405": api.delete("/api/tasks"),
        "422": api.post("/api/tasks", json={}),
        "400": api.get("/api/tasks", params={"limit": 0}),
    }


def test_security_headers_on_every_response(anon, api):
    for name, resp in _responses(anon, api).items():
        for header, value in SECURITY.items():
            assert resp.headers.get(header, "").lower() == value.lower(), f"{name}: {header}: {describe(resp)}"


def test_api_responses_are_not_cached(anon, api):
    for name, resp in _responses(anon, api).items():
        if "/api/" in resp.request.url:
            assert "no-store" in resp.headers.get("Cache-Control", ""), f"{name}: {describe(resp)}"


# --- CORS --------------------------------------------------------------------------------------

ALLOWED = "http://allowed.example"
OTHER = "http://evil.example"


@pytest.fixture(scope="module")
def cors_server(tickler_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("cors")
    srv = TicklerServer(tickler_bin, root / "data", root / "server.log", ["--cors-origins", ALLOWED])
    srv.start()
    yield srv
    srv.stop()


def _csv(value: str) -> set[str]:
    return {part.strip().lower() for part in (value or "").split(",") if part.strip()}


@pytest.mark.parametrize("path,method", [("/api/tasks", "POST"), ("/api/tasks/1", "PATCH"),
                                         ("/api/tasks/1", "DELETE"), ("/api/tasks", "GET")])
def test_preflight_for_allowed_origin(cors_server, path, method):
    wanted_headers = {"authorization", "content-type", "if-match", "idempotency-key"}
    resp = cors_server.client().options(path, headers={
        "Origin": ALLOWED,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": ", ".join(sorted(wanted_headers)),
    })
    assert resp.status_code == 204, describe(resp)
    assert resp.headers.get("Access-Control-Allow-Origin") == ALLOWED, resp.headers
    assert method.lower() in _csv(resp.headers.get("Access-Control-Allow-Methods")), resp.headers
    allowed_headers = _csv(resp.headers.get("Access-Control-Allow-Headers"))
    assert wanted_headers <= allowed_headers or "*" in allowed_headers, resp.headers


def test_simple_request_from_allowed_origin_gets_cors_header(cors_server):
    resp = cors_server.client().get("/healthz", headers={"Origin": ALLOWED})
    assert resp.status_code == 200
    assert resp.headers.get("Access-Control-Allow-Origin") == ALLOWED, resp.headers
    unauth = cors_server.client().get("/api/tasks", headers={"Origin": ALLOWED})
    assert unauth.status_code == 401
    assert unauth.headers.get("Access-Control-Allow-Origin") == ALLOWED, unauth.headers


def test_other_origin_gets_no_cors_headers(cors_server):
    client = cors_server.client()
    preflight = client.options("/api/tasks", headers={
        "Origin": OTHER, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    simple = client.get("/healthz", headers={"Origin": OTHER})
    for resp in (preflight, simple):
        assert resp.status_code < 500, describe(resp)
        cors = [h for h in resp.headers if h.lower().startswith("access-control-")]
        assert not cors, f"{resp.request.method}: {cors}"
    assert simple.status_code == 200


def test_no_cors_without_cors_origins(anon):
    resp = anon.get("/healthz", headers={"Origin": ALLOWED})
    assert resp.status_code == 200
    assert "Access-Control-Allow-Origin" not in resp.headers


# --- 405 and 404 --------------------------------------------------------------------------------

def _allow(resp) -> set[str]:
    return {m.strip().upper() for m in resp.headers.get("Allow", "").split(",") if m.strip()}


def test_wrong_method_is_405_with_allow(api):
    task = create_task(api)
    cases = [
        ("DELETE", "/api/tasks", {"GET", "POST"}),
        ("PUT", "/api/tasks", {"GET", "POST"}),
        ("PUT", f"/api/tasks/{task['id']}", {"GET", "PATCH", "DELETE"}),
        ("POST", f"/api/tasks/{task['id']}", {"GET", "PATCH", "DELETE"}),
        ("GET", f"/api/tasks/{task['id']}/complete", {"POST"}),
        ("DELETE", f"/api/tasks/{task['id']}/reopen", {"POST"}),
        ("GET", "/api/auth/login", {"POST"}),
        ("GET", "/api/auth/signup", {"POST"}),
        ("POST", "/api/me", {"GET"}),
        ("POST", "/api/tags", {"GET"}),
        ("POST", "/healthz", {"GET"}),
        ("DELETE", "/readyz", {"GET"}),
        ("POST", "/metrics", {"GET"}),
        ("POST", "/api/openapi.json", {"GET"}),
    ]
    for method, path, expected in cases:
        resp = api.request(method, path)
        assert_error(resp, 405, "method_not_allowed")
        allow = _allow(resp)
        assert expected <= allow, f"{method} {path}: Allow={resp.headers.get('Allow')!r}"
        assert method not in allow, f"{method} {path}: Allow={resp.headers.get('Allow')!r}"
    # The task was not touched by any of that.
    assert api.get(f"/api/tasks/{task['id']}").json() == task


@pytest.mark.parametrize("path", ["/api/does-not-exist", "/api/tasks/1/unknown", "/api/task", "/api",
                                  "/api/tasks/1/complete/extra", "/api/auth", "/api/auth/logout"])
def test_unknown_path_is_404_with_envelope(api, path):
    assert_error(api.get(path), 404, "not_found")
