"""tickler serve serves the built web UI beside the API: files from --web-root with their types
and cache headers, the .gz to clients that accept gzip, index.html for client routes, nothing
outside the root; without a built UI a plain message, and the API unchanged either way."""

from __future__ import annotations

import gzip
import socket

import pytest

INDEX = b"<!doctype html><title>Tickler</title>"
ASSET = b"console.log('tickler');" * 20


@pytest.fixture
def web_root(tmp_path):
    root = tmp_path / "web"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "assets" / "index-abc123.js").write_bytes(ASSET)
    (root / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(ASSET))
    (root / "favicon.svg").write_bytes(b"<svg/>")
    (tmp_path / "secret.txt").write_bytes(b"outside the root")
    return root


@pytest.fixture
def web(server_factory, web_root):
    return server_factory(extra_args=["--web-root", str(web_root)])


def raw_get(srv, target: str) -> bytes:
    """A request line sent as is (clients normalise '..' away)."""
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def test_index_and_client_routes_get_the_app_revalidated(web):
    api = web.client()
    for path in ["/", "/index.html", "/tasks/42", "/settings"]:
        resp = api.get(path)
        assert resp.status_code == 200, (path, resp.status_code)
        assert resp.content == INDEX
        assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
        assert resp.headers["Cache-Control"] == "no-cache"
        assert "default-src 'self'" in resp.headers["Content-Security-Policy"]


def test_hashed_assets_are_immutable_and_gzipped_when_accepted(web):
    api = web.client()
    resp = api.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.content == ASSET  # requests decodes it
    assert resp.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in resp.headers["Vary"]
    plain = api.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.content == ASSET
    assert api.get("/favicon.svg").headers["Content-Type"] == "image/svg+xml"


def test_head_answers_the_headers_only(web):
    resp = web.client().request("HEAD", "/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert resp.status_code == 200
    assert int(resp.headers["Content-Length"]) == len(ASSET)
    assert resp.content == b""


@pytest.mark.parametrize("path", ["/assets/missing-1.js", "/robots.txt", "/.hidden"])
def test_missing_files_are_404(web, path):
    assert web.client().get(path).status_code == 404


@pytest.mark.parametrize("target", ["/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                                    "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt"])
def test_nothing_outside_the_root(web, target):
    answer = raw_get(web, target)
    assert b"outside the root" not in answer
    assert answer.startswith(b"HTTP/1.1 404") or answer.startswith(b"HTTP/1.1 400"), answer[:60]


def test_other_methods_and_the_api_are_unchanged(web):
    api = web.client()
    assert api.post("/", json={}).status_code == 404
    resp = api.get("/api/nope")
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"
    assert api.get("/healthz").json() == {"status": "ok"}
    assert api.get("/api/tasks").status_code == 401


def test_without_a_built_ui_the_root_says_so(server_factory, tmp_path):
    srv = server_factory(extra_args=["--web-root", str(tmp_path / "nothing-here")])
    resp = srv.client().get("/")
    assert resp.status_code == 404
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert "web UI is not built" in resp.text
    assert srv.client().get("/healthz").status_code == 200
