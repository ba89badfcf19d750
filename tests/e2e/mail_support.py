"""Mailpit for the email tests: built from source (tools/mailpit/build.sh) when missing, started on
loopback ports of its own, read through its HTTP API; and a test CA (openssl) for STARTTLS.

    mp = Mailpit(tmp_path).start()             # SMTP on mp.smtp_port, API on mp.api_url
    msg = mp.wait_for(to="ana@example.com")    # the newest message to that address, full
    mp.stop()
    proxy = SmtpProxy(mp.smtp_port, delay=0.05)   # a slow server, or one holding up a recipient
"""

from __future__ import annotations

import re
import socket
import subprocess
import threading
import time
from html import unescape
from pathlib import Path

import requests

from tickler_server import REPO_ROOT, free_port


def mailpit_binary() -> Path:
    out = subprocess.run([str(REPO_ROOT / "tools/mailpit/build.sh")], check=True, capture_output=True, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


def make_test_ca(directory: Path, host: str = "127.0.0.1") -> tuple[Path, Path, Path]:
    """A CA and a server certificate for `host` (an IP address) signed by it: (ca.pem, cert, key)."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (directory / n for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))
    ext = directory / "server.ext"
    ext.write_text(f"subjectAltName=IP:{host}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                   "extendedKeyUsage=serverAuth\n")

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
        "-subj", "/CN=Tickler test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", f"/CN={host}")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-out", str(cert),
        "-days", "2", "-extfile", str(ext))
    return ca, cert, key


class Mailpit:
    """One Mailpit process: SMTP and its HTTP API on free loopback ports."""

    def __init__(self, workdir: Path, extra_args=()):
        self.workdir = Path(workdir)
        self.extra_args = list(extra_args)
        self.proc: subprocess.Popen | None = None
        self.smtp_port = 0
        self.api_port = 0
        self.log_path = self.workdir / "mailpit.log"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def smtp_url(self) -> str:
        return f"smtp://127.0.0.1:{self.smtp_port}"

    def start(self, keep_ports: bool = False) -> "Mailpit":
        self.workdir.mkdir(parents=True, exist_ok=True)
        if not keep_ports:
            self.smtp_port, self.api_port = free_port(), free_port()
        cmd = [str(mailpit_binary()), "--smtp", f"127.0.0.1:{self.smtp_port}", "--listen",
               f"127.0.0.1:{self.api_port}", "--database", str(self.workdir / "mailpit.db"),
               "--smtp-auth-accept-any", "--smtp-disable-rdns", *self.extra_args]
        if "--smtp-tls-cert" not in self.extra_args:
            cmd.append("--smtp-auth-allow-insecure")  # AUTH over plain SMTP (loopback only)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mailpit exited: {self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                if requests.get(self.api_url + "/api/v1/messages", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("mailpit did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def messages(self) -> list[dict]:
        resp = requests.get(self.api_url + "/api/v1/messages", params={"limit": 500}, timeout=5)
        resp.raise_for_status()
        return resp.json().get("messages") or []

    def message(self, message_id: str) -> dict:
        resp = requests.get(f"{self.api_url}/api/v1/message/{message_id}", timeout=5)
        resp.raise_for_status()
        return resp.json()

    def to(self, address: str) -> list[dict]:
        """Summaries of the messages to `address`, newest first."""
        return [m for m in self.messages() if any(t.get("Address") == address for t in m.get("To") or [])]

    def wait_for(self, to: str, count: int = 1, timeout: float = 20, subject: str | None = None) -> dict:
        """The newest of at least `count` messages to `to` (optionally whose subject contains `subject`), full."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.to(to) if subject is None or subject in m.get("Subject", "")]
            if len(found) >= count:
                return self.message(found[0]["ID"])
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count} message(s) to {to} within {timeout}s: {self.messages()}")
            time.sleep(0.1)


def links(message: dict) -> dict[str, str]:
    """The links of a message's HTML part by their text: {"Done": url, ...}."""
    return {unescape(re.sub(r"<[^>]+>", "", text)).strip(): unescape(href)
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', message.get("HTML", ""))}


class SmtpProxy:
    """A TCP proxy on loopback in front of an SMTP server, for faults the server cannot make:
    every answer of the server held back `delay` seconds (a slow server: a batch of mails takes a
    while, so a kill lands in the middle of it), and, when `stall` (a regex) matches a client's
    `RCPT TO` line, that session held with no answer until the client gives up (a recipient the
    server keeps waiting: the client's SMTP timeout ends each attempt). `stall` may be set while
    the proxy runs. `stalled` counts the sessions held."""

    def __init__(self, upstream_port: int, delay: float = 0.0, stall: str | None = None):
        self.upstream_port = upstream_port
        self.delay = delay
        self.stall = re.compile(stall, re.IGNORECASE) if stall else None
        self.stalled = 0
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def smtp_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks += [client, upstream]
            threading.Thread(target=self._to_server, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._to_client, args=(upstream, client), daemon=True).start()

    def _to_server(self, client: socket.socket, upstream: socket.socket) -> None:
        pending = b""
        try:
            while data := client.recv(65536):
                pending += data
                lines = pending.split(b"\r\n")
                pending = lines.pop()
                for line in lines:
                    if (self.stall and line[:8].upper() == b"RCPT TO:"
                            and self.stall.search(line.decode("latin-1"))):
                        with self._lock:
                            self.stalled += 1
                        while client.recv(65536):  # held: nothing more is forwarded or answered
                            pass
                        return
                    upstream.sendall(line + b"\r\n")
        except OSError:
            pass
        finally:
            for s in (client, upstream):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _to_client(self, upstream: socket.socket, client: socket.socket) -> None:
        try:
            while data := upstream.recv(65536):
                if self.delay:
                    time.sleep(self.delay)
                client.sendall(data)
        except OSError:
            pass
        finally:
            try:
                client.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def close(self) -> None:
        self._closed = True
        self.sock.close()
        with self._lock:
            for s in self._socks:
                s.close()
