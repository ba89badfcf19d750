"""A stand-in of an ntfy server, for the e2e tests and bench/deliveries_bench.py.

The ntfy server cannot be built here (the Go module proxy answers 403 for heckel.io/ntfy/v2), so
what Tickler uses of it is served as its documentation describes it: a JSON publish to the root
(https://docs.ntfy.sh/publish/#publish-as-json) and the poll subscription of a topic
(`GET /<topic>/json?poll=1`, https://docs.ntfy.sh/subscribe/api/), with a token check."""

from __future__ import annotations

import json
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests


class NtfyStandIn:
    """What Tickler uses of an ntfy server: a JSON publish to the root (topic in the body; 400
    without one; 401 without the token when one is required), kept as a message {id, time, event,
    topic, title, message, priority, tags, click, actions}; the poll subscription of a topic as
    newline-delimited JSON. Every publish request is recorded with its arrival time (`at`, Unix
    ms), path, headers and body. On `host` (127.0.0.1); over https with tls=(cert.pem, key.pem).
    `keep_alive`: HTTP/1.1 with connections kept between requests, as ntfy does (default: HTTP/1.0,
    each connection closed after its answer)."""

    def __init__(self, token: str | None = None, statuses=(), host: str = "127.0.0.1",
                 tls: tuple[Path, Path] | None = None, keep_alive: bool = False):
        self.messages: list[dict] = []
        self.requests: list[dict] = []
        self.statuses = list(statuses)  # answers before publishing works (e.g. 503)
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"
            timeout = 60  # an idle kept connection is closed after a minute
            # An answer's head and body are two writes: without TCP_NODELAY the body waits for
            # the client's delayed ACK of the head (40 ms) on a kept connection.
            disable_nagle_algorithm = True

            def answer(self, status: int, body: bytes = b"", kind="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stand_in.requests.append({"at": time.time_ns() / 1e6, "path": self.path,
                                          "headers": dict(self.headers), "body": raw})
                if stand_in.statuses:
                    return self.answer(stand_in.statuses.pop(0), b'{"error":"busy"}')
                if token and self.headers.get("Authorization") != f"Bearer {token}":
                    return self.answer(401, b'{"code":40101,"http":401,"error":"unauthorized"}')
                if self.path != "/":
                    return self.answer(404)
                body = json.loads(raw)
                if not body.get("topic"):
                    return self.answer(400, b'{"code":40001,"http":400,"error":"invalid request"}')
                message = {"id": uuid.uuid4().hex[:12], "time": int(time.time()), "event": "message",
                           **{k: body[k] for k in ("topic", "title", "message", "priority", "tags", "click",
                                                  "actions") if k in body}}
                stand_in.messages.append(message)
                self.answer(200, json.dumps(message).encode())

            def do_GET(self):  # noqa: N802
                path, _, query = self.path.partition("?")
                parts = path.strip("/").split("/")
                if len(parts) != 2 or parts[1] != "json" or "poll=1" not in query:
                    return self.answer(404)
                lines = "".join(json.dumps(m) + "\n" for m in stand_in.messages if m["topic"] == parts[0])
                self.answer(200, lines.encode(), "application/x-ndjson")

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128  # a burst of publishes is not refused at the listen queue

        self.httpd = Server((host, 0), Handler)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://{host}:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def poll(self, topic: str) -> list[dict]:
        resp = requests.get(f"{self.url}/{topic}/json?poll=1", timeout=5)
        return [json.loads(line) for line in resp.text.splitlines() if line]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
