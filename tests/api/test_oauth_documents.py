"""Clients known by their metadata document (an https URL as client_id, what the MCP
authorization spec recommends over registration): the official MCP SDK's OAuth client provider
with a client_metadata_url served over TLS on this machine, read by the server through the
outbound-destination policy; and the same URL refused under the default policy (loopback)."""

from __future__ import annotations

import asyncio
import json
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from helpers import describe, written_history
from oauth_support import REDIRECT, Browser, MemoryStorage, pkce, query_of


@pytest.fixture
def document_host(tmp_path):
    """An https server on 127.0.0.1 (a self-signed certificate) serving /client.json; yields
    (url, cert path, the list of paths requested)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    requested: list[str] = []
    documents: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requested.append(self.path)
            body = documents.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body or b"{}")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    url = f"https://127.0.0.1:{httpd.server_address[1]}/client.json"
    documents["/client.json"] = json.dumps({
        "client_id": url, "client_name": "Doc Client", "redirect_uris": [REDIRECT],
        "grant_types": ["authorization_code", "refresh_token"],
        "token_endpoint_auth_method": "none"}).encode()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield url, cert, requested
    httpd.shutdown()


def test_the_sdk_connects_with_a_client_id_metadata_document(server_factory, document_host):
    import httpx2
    from mcp import Client
    from mcp.client.auth import OAuthClientProvider
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared.auth import OAuthClientMetadata

    from helpers import signup

    url, cert, requested = document_host
    srv = server_factory(extra_args=("--allow-private-destinations", "--outbound-ca-file",
                                     str(cert)))
    meta = srv.client().get("/.well-known/oauth-authorization-server").json()
    assert meta["client_id_metadata_document_supported"] is True
    person = signup(srv.base_url)
    browser = Browser(srv.base_url, person.email, person.password)
    storage = MemoryStorage()
    provider = OAuthClientProvider(
        server_url=f"{srv.base_url}/mcp",
        client_metadata=OAuthClientMetadata(client_name="ignored: the document names the client",
                                            redirect_uris=[REDIRECT],
                                            grant_types=["authorization_code", "refresh_token"]),
        storage=storage, redirect_handler=browser.redirect_handler,
        callback_handler=browser.callback_handler, client_metadata_url=url)

    async def go():
        async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30.0),
                                      trust_env=False) as http:
            async with Client(streamable_http_client(f"{srv.base_url}/mcp", http_client=http),
                              read_timeout_seconds=30.0) as client:
                created = await client.call_tool("add_task", {"title": "Via a metadata document"})
                assert not created.is_error, created.content
                return created.structured_content

    task = asyncio.run(go())
    assert storage.client_info.client_id == url  # no registration: the URL is the client id
    assert requested == ["/client.json"]
    view = browser.views[0]
    assert view["client_name"] == "Doc Client" and view["metadata_document"] is True
    grants = person.api.get("/api/oauth/grants").json()["items"]
    assert [g["client_id"] for g in grants] == [url]
    history = written_history(person.api, task["id"])
    assert history[0]["actor"] == "mcp:Doc Client"


def test_a_metadata_document_on_a_refused_destination_is_not_read(server, document_host):
    url, _cert, requested = document_host
    _verifier, challenge = pkce()
    params = {"response_type": "code", "client_id": url, "redirect_uri": REDIRECT, "state": "s",
              "code_challenge": challenge, "code_challenge_method": "S256"}
    resp = server.client().get("/oauth/authorize?" + urlencode(params), allow_redirects=False)
    assert resp.status_code == 302, describe(resp)
    back = query_of(resp.headers["Location"])
    assert back["error"] == "invalid_client", back
    assert "destination refused" in back["error_description"], back
    assert requested == []
