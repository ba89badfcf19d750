"""Data survives a restart; SIGTERM exits 0 within 15 s and loses no acknowledged write, even in
the middle of a burst of writes."""

import signal
import threading
import time

import pytest
import requests

from helpers import STOP_TIMEOUT, assert_task_response, describe, list_all, signup

pytestmark = pytest.mark.slow


def test_tasks_survive_a_restart(server_factory, tmp_path):
    data = tmp_path / "data"
    first = server_factory(data_dir=data)
    owner = signup(first.base_url)
    api = owner.api
    tasks = [assert_task_response(api.post("/api/tasks", json=body), 201) for body in (
        {"title": "Plain"},
        {"title": "Full", "description": "d", "priority": "high", "tags": ["home", "money"],
         "due_at": "2026-12-01T08:00:00.123Z", "time_zone": "Europe/Berlin"},
        {"title": "To complete"},
        {"title": "To patch"},
        {"title": "To delete"},
    )]
    tasks[2] = assert_task_response(api.post(f"/api/tasks/{tasks[2]['id']}/complete"))
    tasks[3] = assert_task_response(api.patch(f"/api/tasks/{tasks[3]['id']}", json={"title": "Patched"}))
    assert api.delete(f"/api/tasks/{tasks[4]['id']}").status_code == 204
    deleted = tasks.pop()
    tags_before = api.get("/api/tags").json()

    assert first.stop() == 0, "SIGTERM must end the server with exit code 0"

    second = server_factory(data_dir=data)
    api2 = second.client(owner.token)  # same secret: the old token stays valid
    for task in tasks:
        assert assert_task_response(api2.get(f"/api/tasks/{task['id']}")) == task
    assert api2.get(f"/api/tasks/{deleted['id']}").status_code == 404
    assert sorted(t["id"] for t in list_all(api2)[0]) == sorted(t["id"] for t in tasks)
    assert api2.get("/api/tags").json() == tags_before
    login = second.client().post("/api/auth/login", json={"email": owner.email, "password": owner.password})
    assert login.status_code == 200, describe(login)
    assert login.json()["user"]["id"] == owner.id
    # New ids after a restart never reuse old ones.
    fresh = assert_task_response(api2.post("/api/tasks", json={"title": "After restart"}), 201)
    assert fresh["id"] not in {t["id"] for t in tasks} | {deleted["id"]}


def test_sigterm_when_idle_exits_zero(server_factory):
    srv = server_factory()
    assert srv.client().get("/healthz").status_code == 200
    started = time.monotonic()
    assert srv.stop() == 0
    assert time.monotonic() - started < STOP_TIMEOUT


def test_sigterm_during_a_write_burst_loses_no_acknowledged_task(server_factory, tmp_path):
    data = tmp_path / "data"
    srv = server_factory(data_dir=data)
    owner = signup(srv.base_url)

    acknowledged: list[int] = []
    failures_before_signal: list[str] = []
    lock = threading.Lock()
    signalled = threading.Event()
    deadline = time.monotonic() + 30  # every worker stops by then, whatever happens

    def worker(n: int):
        api = srv.client(owner.token, timeout=10)
        try:
            for i in range(100_000):
                if time.monotonic() > deadline:
                    return
                try:
                    resp = api.post("/api/tasks", json={"title": f"burst {n}-{i}"})
                except requests.RequestException as exc:
                    if not signalled.is_set():
                        failures_before_signal.append(f"worker {n}: {exc!r}")
                    return  # after the signal, a refused or cut connection is fine
                if resp.status_code == 201:
                    with lock:
                        acknowledged.append(resp.json()["id"])
                elif not signalled.is_set():
                    failures_before_signal.append(describe(resp))
                    return
                elif srv.proc.poll() is not None:
                    return
        finally:
            api.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    signalled.set()
    acked_before_signal = len(acknowledged)
    sent_at = time.monotonic()
    srv.signal(signal.SIGTERM)

    code = srv.wait(STOP_TIMEOUT)
    assert code is not None, f"server still running {STOP_TIMEOUT} s after SIGTERM"
    assert code == 0, f"exit code {code} after SIGTERM"
    assert time.monotonic() - sent_at < STOP_TIMEOUT
    for t in threads:
        t.join(timeout=20)
    assert not any(t.is_alive() for t in threads), "a writer thread did not finish"

    assert not failures_before_signal, failures_before_signal
    assert acked_before_signal >= 10, f"only {acked_before_signal} writes in 1 s: the burst did not happen"

    restarted = server_factory(data_dir=data)
    stored = {t["id"] for t in list_all(restarted.client(owner.token), limit=200, max_pages=2000)[0]}
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged tasks lost, e.g. {sorted(missing)[:10]}"
