"""Shared pieces of the e2e tests: instants, bounded polling, a WebSocket client that timestamps
what it receives, the `tickler` maintenance commands and direct access to a stopped server's DB.

Everything the server does after answering a request (outbox relay → bus → consumers) is
asynchronous: tests poll with a deadline (wait_until) and never sleep blindly.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import subprocess
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import websocket

from helpers import Api, close_code, describe  # noqa: F401 (close_code: for the suites)

DEFAULT_WAIT = 5.0  # seconds an asynchronous effect gets to show up
CLI_TIMEOUT = 30.0


# --- instants ------------------------------------------------------------------------------

def now_ms() -> int:
    return time.time_ns() // 1_000_000


def iso_ms(ms: int) -> str:
    """Unix milliseconds → the API's output form, `2026-12-01T08:00:00.000Z`."""
    dt = datetime.fromtimestamp(ms // 1000, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"


def iso_dt(dt: datetime) -> str:
    return iso_ms(round(dt.timestamp() * 1000))


def assert_still_before(deadline_ms: int, what: str) -> None:
    """Guards a timing assumption of the test itself (not of the server): the setup `what` had
    to be done before deadline_ms for the rest of the test to mean anything."""
    late = now_ms() - deadline_ms
    assert late < 0, f"test setup too slow: {what} finished {late} ms after the deadline"


def parse_ms(text: str) -> int:
    """An instant of the API's output form → Unix milliseconds."""
    assert isinstance(text, str) and text.endswith("Z"), f"not a UTC instant: {text!r}"
    dt = datetime.strptime(text[:-1], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
    return round(dt.timestamp() * 1000)


# --- polling -------------------------------------------------------------------------------

def wait_until(probe, timeout: float = DEFAULT_WAIT, interval: float = 0.02, what: str = "condition"):
    """Calls probe() until it returns something truthy and returns that; fails after `timeout`."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}; last value: {last!r}")
        time.sleep(interval)


def assert_stays(probe, duration: float, interval: float = 0.05, what: str = "condition") -> None:
    """probe() must stay truthy for `duration` seconds (nothing more shows up meanwhile)."""
    deadline = time.monotonic() + duration
    while True:
        value = probe()
        assert value, f"{what} stopped holding; value: {value!r}"
        if time.monotonic() >= deadline:
            return
        time.sleep(interval)


def find_tasks(api: Api, word: str) -> list[dict]:
    """Every task (pending and completed) of the user whose text matches the unique `word`."""
    resp = api.get("/api/tasks", params={"q": word, "status": "all", "limit": "200"})
    assert resp.status_code == 200, describe(resp)
    return resp.json()["items"]


def history(api: Api, task_id: int) -> list[dict]:
    """The audit history of a task ([] while the auditor has not recorded anything yet)."""
    resp = api.get(f"/api/tasks/{task_id}/history")
    if resp.status_code == 404:
        return []
    assert resp.status_code == 200, describe(resp)
    return resp.json()["items"]


def wait_history(api: Api, task_id: int, types: list[str], timeout: float = DEFAULT_WAIT) -> list[dict]:
    """Waits until the history of the task holds at least len(types) entries; returns them."""
    items = wait_until(lambda: (h := history(api, task_id)) and len(h) >= len(types) and h,
                       timeout, what=f"{len(types)} history entries of task {task_id}")
    assert [e["type"] for e in items] == types, items
    return items


# --- WebSocket -----------------------------------------------------------------------------

def ws_url(base_url: str, token: str | None = None, **params) -> str:
    query = {"token": token} if token else {}
    query.update({k: str(v) for k, v in params.items()})
    url = base_url.replace("http://", "ws://", 1) + "/api/ws"
    return url + ("?" + urlencode(query) if query else "")


class WsClient:
    """A WebSocket client whose reader thread stamps every message with the wall-clock time (Unix
    ms, the server's clock too) at which it arrived. Messages are JSON objects."""

    def __init__(self, url: str, connect_timeout: float = 5.0):
        self.url = url
        self.ws = websocket.create_connection(url, timeout=connect_timeout, enable_multithread=True,
                                              http_proxy_host=None, http_no_proxy=["127.0.0.1"])
        self.ws.settimeout(None)
        self.messages: "queue.Queue[tuple[float, dict | None]]" = queue.Queue()
        self.received: list[tuple[float, dict]] = []  # everything taken from the queue so far
        self.closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                text = self.ws.recv()
                at = time.time_ns() / 1_000_000
                if not text:  # a close frame
                    break
                self.messages.put((at, json.loads(text)))
        except (websocket.WebSocketException, OSError):
            pass
        finally:
            self.closed = True
            self.messages.put((time.time_ns() / 1_000_000, None))

    def next(self, timeout: float) -> tuple[float, dict] | None:
        """The next message and its arrival time, or None on timeout or once closed."""
        try:
            at, msg = self.messages.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None
        if msg is None:
            self.messages.put((at, None))  # stays closed for later calls
            return None
        self.received.append((at, msg))
        return at, msg

    def wait_for(self, predicate, timeout: float = DEFAULT_WAIT, what: str = "a message") -> tuple[float, dict]:
        """The first message (with its arrival time) matching predicate; fails after timeout."""
        deadline = time.monotonic() + timeout
        skipped = []
        while True:
            got = self.next(deadline - time.monotonic())
            if got is None:
                raise AssertionError(f"no {what} within {timeout} s on {self.url.split('?')[0]} "
                                     f"(closed={self.closed}); other messages: {skipped!r}")
            if predicate(got[1]):
                return got
            skipped.append(got[1])

    def drain(self, duration: float) -> list[dict]:
        """Every message arriving within `duration` seconds."""
        deadline = time.monotonic() + duration
        out = []
        while (got := self.next(deadline - time.monotonic())) is not None:
            out.append(got[1])
        return out

    def hello(self) -> dict:
        return self.wait_for(lambda m: m.get("type") == "hello", what="hello")[1]

    def close(self) -> None:
        try:
            self.ws.abort()  # ends the blocking recv of the reader thread
            self.ws.shutdown()
        except Exception:
            pass
        self._reader.join(timeout=5)


CLOSE_TOKEN_INVALID = 4401  # the server's close code for an expired or revoked token


def open_ws(base_url: str, token: str) -> websocket.WebSocket:
    """A raw WebSocket of the user whose hello has arrived (to read the close frame later)."""
    ws = websocket.create_connection(ws_url(base_url, token), timeout=10, http_proxy_host=None,
                                     http_no_proxy=["127.0.0.1"])
    assert json.loads(ws.recv())["type"] == "hello"
    return ws




# --- maintenance commands and the data directory -------------------------------------------

def run_cli(binary: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=CLI_TIMEOUT,
                          stdin=subprocess.DEVNULL)


def cli_output(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / "tickler.db"


def db_execute(data_dir: Path, sql: str, params=()) -> tuple[int, int]:
    """Runs one statement on a stopped server's database; returns (lastrowid, rowcount)."""
    con = sqlite3.connect(db_path(data_dir), timeout=10)
    try:
        with con:
            cur = con.execute(sql, params)
            return cur.lastrowid, cur.rowcount
    finally:
        con.close()


def db_query(data_dir: Path, sql: str, params=()) -> list[tuple]:
    con = sqlite3.connect(db_path(data_dir), timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def zone_away_from_midnight() -> str:
    """A zone whose clock is between 01:00 and 22:00 now, so "today" lasts through the test."""
    for zone in ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Pacific/Honolulu", "Asia/Kolkata"):
        if 1 <= datetime.now(ZoneInfo(zone)).hour < 22:
            return zone
    raise AssertionError("no zone away from midnight")
