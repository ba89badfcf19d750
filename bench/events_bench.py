#!/usr/bin/env python3
"""Benchmarks of the event-driven core of `tickler serve` (issue A2), each against a fresh server.

  events_bench.py push       API write -> WebSocket push latency (sequential writes)
  events_bench.py reminders  100,000 reminders due over 60 s -> lateness distribution
  events_bench.py rss        RSS of tickler serve holding 100,000 tasks

Every run prints its figures next to a baseline measured in the same run and writes them as JSON
to bench/out/events-<name>.json. Loopback only; every loop is bounded.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests
import websocket

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("TICKLER_BIN", os.path.join(ROOT, "build", "tickler"))
OUT = os.environ.get("BENCH_OUT", os.path.join(ROOT, "bench", "out"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def iso(t):
    return t.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, int(round(p / 100.0 * (len(values) - 1)))))
    return values[k]


class Server:
    def __init__(self):
        self.data = tempfile.mkdtemp(prefix="tickler-events-bench.")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.data, "server.log"), "w")
        env = {**os.environ, "TICKLER_JWT_SECRET": "events-bench-secret-events-bench-secret",
               "TICKLER_LOG_LEVEL": "warn"}
        self.proc = subprocess.Popen([BIN, "serve", "--port", str(self.port), "--data", self.data],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        self.stop()
        raise SystemExit("server did not start")

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
        return float("nan")

    def user(self, email="bench@example.com"):
        r = requests.post(self.base + "/api/auth/signup", json={"email": email, "password": "bench-password"})
        r.raise_for_status()
        return r.json()["token"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def bench_push(args):
    srv = Server()
    try:
        token = srv.user()
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + token
        ws = websocket.create_connection(f"ws://127.0.0.1:{srv.port}/api/ws?token={token}", timeout=5)
        json.loads(ws.recv())  # hello
        push_ms, write_ms = [], []
        for i in range(args.count):
            t0 = time.perf_counter()
            r = s.post(srv.base + "/api/tasks", json={"title": f"push {i}"})
            t1 = time.perf_counter()
            task_id = r.json()["id"]
            while True:  # bounded by the socket timeout
                m = json.loads(ws.recv())
                if m.get("type") == "task" and m["task"]["id"] == task_id:
                    break
            t2 = time.perf_counter()
            write_ms.append((t1 - t0) * 1000)
            push_ms.append((t2 - t0) * 1000)
        ws.close()
        res = {"writes": args.count,
               "write_ms": {"p50": pct(write_ms, 50), "p99": pct(write_ms, 99)},
               "push_ms": {"p50": pct(push_ms, 50), "p99": pct(push_ms, 99), "max": max(push_ms)}}
        print(f"write -> WebSocket push over {args.count} sequential writes")
        print(f"  baseline (the POST itself): p50 {res['write_ms']['p50']:.2f} ms  p99 {res['write_ms']['p99']:.2f} ms")
        print(f"  push (POST sent -> message received): p50 {res['push_ms']['p50']:.2f} ms  "
              f"p99 {res['push_ms']['p99']:.2f} ms  max {res['push_ms']['max']:.2f} ms  (target p99 <= 20 ms)")
        print(f"  push p99 / write p99 = {res['push_ms']['p99'] / res['write_ms']['p99']:.2f}")
        return res
    finally:
        srv.stop()


def create_all(base, token, bodies, threads=8):
    def worker(chunk):
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + token
        for b in chunk:
            r = s.post(base + "/api/tasks", json=b)
            if r.status_code != 201:
                raise SystemExit(f"create failed: {r.status_code} {r.text}")
    chunks = [bodies[i::threads] for i in range(threads)]
    with concurrent.futures.ThreadPoolExecutor(threads) as ex:
        list(ex.map(worker, chunks))


def bench_reminders(args):
    srv = Server()
    try:
        token = srv.user()
        per_task = 50
        tasks = args.count // per_task
        start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=args.lead)
        spread = args.window / args.count
        bodies = []
        for t in range(tasks):
            # A task's reminders lie 1.2 s apart (a task's reminders at the same millisecond would be
            # one reminder); together they cover the window evenly.
            at = [start + datetime.timedelta(seconds=(k * tasks + t) * spread) for k in range(per_task)]
            bodies.append({"title": f"reminders {t}", "reminders": [{"at": iso(a)} for a in at]})
        t0 = time.time()
        create_all(srv.base, token, bodies)
        created_s = time.time() - t0
        if datetime.datetime.now(datetime.timezone.utc) >= start:
            raise SystemExit(f"creating took {created_s:.1f} s, past the first reminder: raise --lead")
        rss_before = srv.rss_mb()
        end = start + datetime.timedelta(seconds=args.window)
        time.sleep(max(0.0, (end - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 3)
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + token
        lateness, before = [], None
        for _ in range(args.count // 200 + 10):
            url = srv.base + "/api/notifications?limit=200" + (f"&before={before}" if before else "")
            page = s.get(url).json()
            for n in page["items"]:
                lateness.append((parse_iso(n["fired_at"]) - parse_iso(n["remind_at"])).total_seconds() * 1000)
            before = page["next_before"]
            if before is None:
                break
        early = sum(1 for x in lateness if x < 0)
        res = {"reminders": args.count, "fired": len(lateness), "early": early,
               "lateness_ms": {"p50": pct(lateness, 50), "p99": pct(lateness, 99), "max": max(lateness)},
               "create_s": created_s, "rss_mb_while_pending": rss_before, "rss_mb_after": srv.rss_mb()}
        print(f"{args.count} reminders due over {args.window} s ({tasks} tasks x {per_task}), created in {created_s:.1f} s")
        print(f"  fired {len(lateness)}, early {early} (target 0)")
        print(f"  lateness (fired_at - remind_at): p50 {res['lateness_ms']['p50']:.1f} ms  "
              f"p99 {res['lateness_ms']['p99']:.1f} ms  max {res['lateness_ms']['max']:.1f} ms  (target p99 <= 1000 ms)")
        print(f"  RSS with the reminders pending {rss_before:.1f} MB, after {res['rss_mb_after']:.1f} MB")
        return res
    finally:
        srv.stop()


def bench_rss(args):
    srv = Server()
    try:
        token = srv.user()
        baseline = srv.rss_mb()
        bodies = [{"title": f"task {i} pay the rent and call the bank", "tags": ["home", f"t{i % 50}"],
                   "priority": ["high", "medium", "low", "none"][i % 4],
                   "due_at": iso(datetime.datetime(2027, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(minutes=i))}
                  for i in range(args.count)]
        t0 = time.time()
        create_all(srv.base, token, bodies)
        seed_s = time.time() - t0
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + token
        for _ in range(50):  # touch the data the way a user does
            s.get(srv.base + "/api/tasks?limit=50&sort=due")
        time.sleep(2)  # let the relay and consumers finish
        rss = srv.rss_mb()
        res = {"tasks": args.count, "seed_s": seed_s, "rss_mb_empty": baseline, "rss_mb": rss}
        print(f"RSS of tickler serve: empty {baseline:.1f} MB; with {args.count} tasks {rss:.1f} MB "
              f"(target <= 100 MB); seeded in {seed_s:.1f} s ({args.count / seed_s:.0f}/s)")
        return res
    finally:
        srv.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("push"); p.add_argument("--count", type=int, default=2000)
    r = sub.add_parser("reminders"); r.add_argument("--count", type=int, default=100_000)
    r.add_argument("--window", type=float, default=60.0); r.add_argument("--lead", type=float, default=45.0)
    m = sub.add_parser("rss"); m.add_argument("--count", type=int, default=100_000)
    args = ap.parse_args()
    res = {"push": bench_push, "reminders": bench_reminders, "rss": bench_rss}[args.cmd](args)
    os.makedirs(OUT, exist_ok=True)
    res["date"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    with open(os.path.join(OUT, f"events-{args.cmd}.json"), "w") as f:
        json.dump(res, f, indent=2)


if __name__ == "__main__":
    main()
