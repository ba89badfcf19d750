"""Mailpit for the email tests: built from source (tools/mailpit/build.sh) when missing, started on
loopback ports of its own, read through its HTTP API; and a test CA (openssl) for STARTTLS.

    mp = Mailpit(tmp_path).start()             # SMTP on mp.smtp_port, API on mp.api_url
    msg = mp.wait_for(to="ana@example.com")    # the newest message to that address, full
    mp.stop()
"""

from __future__ import annotations

import re
import subprocess
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
