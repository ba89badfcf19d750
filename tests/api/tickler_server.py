"""A `tickler serve` process under test: start on a free 127.0.0.1 port, wait for /healthz, stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from helpers import READY_TIMEOUT, STOP_TIMEOUT, TEST_SECRET, Api

REPO_ROOT = Path(__file__).resolve().parents[2]


def tickler_binary() -> Path:
    override = os.environ.get("TICKLER_BIN")
    path = Path(override) if override else REPO_ROOT / "build" / "tickler"
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


def server_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env["TICKLER_JWT_SECRET"] = TEST_SECRET
    env.update(extra or {})
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TicklerServer:
    """One `tickler serve` process: start() waits for /healthz, stop() sends a signal and waits."""

    def __init__(self, binary: Path, data_dir: Path, log_path: Path, extra_args=(), env_extra=None,
                 command_prefix=()):
        self.binary = binary
        self.data_dir = Path(data_dir)
        self.log_path = Path(log_path)
        self.extra_args = list(extra_args)
        self.command_prefix = list(command_prefix)  # e.g. ["prlimit", "--nofile=128:128"]
        self.env = server_env(env_extra)
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, token: str | None = None, timeout: float | None = None) -> Api:
        return Api(self.base_url, token=token, **({"timeout": timeout} if timeout else {}))

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "<no log>"

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> "TicklerServer":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # A port picked by free_port() can be taken before the server binds it: retry a few times.
        for _attempt in range(3):
            self.port = free_port()
            cmd = [*self.command_prefix, str(self.binary), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                   "--data", str(self.data_dir), *self.extra_args]
            with open(self.log_path, "ab") as log:
                log.write(f"\n=== {' '.join(cmd)}\n".encode())
                log.flush()
                self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=subprocess.STDOUT, env=self.env,
                                             start_new_session=True)
            if self._wait_ready():
                return self
            if self.running():
                self.kill()
                pytest.fail(f"tickler did not answer 200 on /healthz within {READY_TIMEOUT} s; "
                            f"log:\n{self.log_tail()}")
        pytest.fail(f"tickler exited during start-up (exit code {self.proc.returncode}); "
                    f"log:\n{self.log_tail()}")

    def _wait_ready(self) -> bool:
        probe = self.client(timeout=1.0)
        deadline = time.monotonic() + READY_TIMEOUT
        try:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    return False
                try:
                    if probe.get("/healthz").status_code == 200:
                        return True
                except requests.RequestException:
                    pass
                time.sleep(0.1)
            return False
        finally:
            probe.close()

    def signal(self, sig: int = signal.SIGTERM) -> None:
        assert self.running(), "server is not running"
        self.proc.send_signal(sig)

    def wait(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """Exit code, or None if the process is still running after `timeout` seconds."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM and wait; returns the exit code (None if it had to be killed)."""
        if not self.running():
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        code = self.wait(timeout)
        if code is None:
            self.kill()
        return code

    def kill(self) -> None:
        if self.running():
            self.proc.kill()
            self.proc.wait(timeout=10)
