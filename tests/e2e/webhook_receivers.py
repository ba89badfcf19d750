"""Webhook receivers on loopback for the e2e tests: one that records requests and answers given
statuses, and one that accepts connections and never answers (a dead destination)."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """An HTTP server on loopback (IPv4, or IPv6 with family=AF_INET6) that records every request
    and answers the given statuses in turn (the last one for every further request)."""

    def __init__(self, statuses=(500, 200), family=socket.AF_INET, headers=None):
        self.requests: list[dict] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                arrived = time.time_ns() / 1_000_000
                n = len(receiver.requests)
                status = receiver.statuses[min(n, len(receiver.statuses) - 1)]
                receiver.requests.append({"at": arrived, "path": self.path, "headers": dict(self.headers),
                                          "body": body, "status": status})
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            address_family = family

        host = "::1" if family == socket.AF_INET6 else "127.0.0.1"
        self.httpd = Server((host, 0), Handler)
        port = self.httpd.server_address[1]
        self.url = (f"http://[::1]:{port}/hooks/tickler" if family == socket.AF_INET6
                    else f"http://127.0.0.1:{port}/hooks/tickler")
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class BlackHole:
    """Accepts every connection on 127.0.0.1 and never answers nor closes it (until close())."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/never"
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(conn)

    def close(self):
        self._stop.set()
        self.thread.join(timeout=2)
        for conn in self.accepted:
            conn.close()
        self.sock.close()
