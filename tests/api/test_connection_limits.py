"""Running out of file descriptors does not spin: the server raises its soft open-file limit to
the hard one at start, serves at most --max-connections connections (by default derived from that
limit) and closes the rest, and a failing accept backs off and logs at most once a second."""

from __future__ import annotations

import os
import socket
import time

import pytest
import requests

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def soft_nofile(pid: int) -> int:
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max open files"):
                return int(line.split()[3])
    raise AssertionError("no open-file limit in /proc/<pid>/limits")


def open_idle(port: int, n: int) -> list[socket.socket]:
    out = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        out.append(s)
    return out


def assert_closed_at_once(port: int, what: str) -> None:
    """A new connection is accepted and closed by the server without a byte."""
    extra = socket.create_connection(("127.0.0.1", port), timeout=5)
    extra.settimeout(5)
    try:
        assert extra.recv(1) == b"", f"{what} was not closed"
    finally:
        extra.close()


def test_soft_open_file_limit_is_raised_to_the_hard_one(server_factory):
    srv = server_factory(command_prefix=["prlimit", "--nofile=128:4096"])
    assert soft_nofile(srv.proc.pid) == 4096


@pytest.mark.parametrize("cap", ["derived", "over the limit"])
def test_more_idle_connections_than_descriptors_neither_spin_nor_flood_the_log(server_factory, cap):
    """derived: the cap keeps descriptors free and closes the extra connections; over the limit
    (--max-connections 1000 with 128 descriptors): accept fails with EMFILE, and backs off."""
    args = ["--max-connections", "1000"] if cap == "over the limit" else []
    srv = server_factory(extra_args=args, command_prefix=["prlimit", "--nofile=128:128"])
    log_before = srv.log_path.stat().st_size
    idle = open_idle(srv.port, 160)
    try:
        cpu_start = cpu_seconds(srv.proc.pid)
        time.sleep(5)
        cpu = cpu_seconds(srv.proc.pid) - cpu_start
        assert cpu < 0.5, f"the server used {cpu:.2f} s of CPU in 5 s with 160 idle connections"
        logged = srv.log_path.read_bytes()[log_before:].decode(errors="replace").splitlines()
        assert len(logged) <= 20, f"{len(logged)} log lines in 5 s:\n" + "\n".join(logged[:20])
        if cap == "derived":
            # Beyond the cap, a connection is closed at once instead of waiting in the backlog.
            assert_closed_at_once(srv.port, "a connection over the cap")
        else:
            assert any('"accept failed"' in line for line in logged), "accept never failed: no test"
    finally:
        for s in idle:
            s.close()
    # Once the idle connections are gone, the server answers again.
    deadline = time.monotonic() + 5
    while True:
        try:
            if requests.get(srv.base_url + "/healthz", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, "the server did not recover after the idle connections closed"
        time.sleep(0.1)


def test_max_connections_flag_caps_connections(server_factory):
    srv = server_factory(extra_args=["--max-connections", "4"])
    idle = open_idle(srv.port, 4)
    try:
        time.sleep(0.3)  # the accept loop has taken the four
        assert_closed_at_once(srv.port, "the fifth connection")
    finally:
        for s in idle:
            s.close()
    time.sleep(0.3)
    assert requests.get(srv.base_url + "/healthz", timeout=5).status_code == 200
