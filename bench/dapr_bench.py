#!/usr/bin/env python3
"""Benchmark of the distributed mode (issue B): end-to-end event latency through Dapr + Kafka at a
paced write rate, and the memory of every service and sidecar.

  dapr_bench.py [--rate 100] [--seconds 15] [--warmup 10] [--users 20]

--rate is task writes per second; every write publishes two events (task-events for the recurrer
and the auditor, task-updates for the realtime replicas), so the default is 200 events/s.

1. Baseline, same run: `tickler serve` (in-process bus) at the same rate — api write → WebSocket.
2. The distributed stack (tools/stack/stack.py: PostgreSQL, Kafka, Dapr scheduler, five services
   each with its daprd, one realtime replica) at the same rate:
   - api → WebSocket: from sending POST /api/tasks to the task's "created" message on the socket;
   - api → auditor: from the outbox row's commit time (tickler_api.outbox.created_at) to the
     auditor's processed_events.processed_at of the same event id (both server clocks, in ms);
     and the first leg of it, to the relay's sent_at (Kafka acknowledged the publish).
3. RSS (VmRSS) of each service and each daprd after 10 s idle, side by side.
4. Under load, each program's share of the machine's CPUs (all processes, summed by name), to
   tell a saturated machine from a slow path.

Figures go to stdout and to bench/out/dapr.json. Loopback only; every loop is bounded.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from urllib.parse import urlsplit
import time
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "stack"))
import stack as stack_module  # noqa: E402

BIN = Path(os.environ.get("TICKLER_BIN", ROOT / "build" / "tickler"))
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")


def summary(values):
    return {"n": len(values), "p50_ms": round(pct(values, 50), 2), "p99_ms": round(pct(values, 99), 2),
            "max_ms": round(max(values), 2) if values else None}


def signup(base):
    r = requests.post(f"{base}/api/auth/signup", json={"email": f"bench-{time.time_ns()}@example.com",
                                                      "password": "correct horse battery"}, timeout=10)
    r.raise_for_status()
    return r.json()["token"]


class Socket:
    """A WebSocket reader stamping each task message's arrival (ms) by task id."""

    def __init__(self, base, token):
        self.ws = websocket.create_connection(base.replace("http://", "ws://") + f"/api/ws?token={token}",
                                              timeout=10)
        self.arrivals: dict[int, float] = {}
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        try:
            while True:
                msg = json.loads(self.ws.recv())
                if msg.get("type") == "task" and msg.get("op") == "created":
                    self.arrivals.setdefault(msg["task"]["id"], time.time() * 1000)
        except Exception:  # noqa: BLE001 - the socket closed
            pass

    def close(self):
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001
            pass


def paced_writes(base, tokens, rate, seconds, workers=4):
    """POST /api/tasks at `rate` per second for `seconds`, the users taking turns; returns
    {task id: send time ms}. One kept-alive http.client connection per worker: the load generator
    shares the two cores with the system under test, so it spends as little CPU as it can."""
    total = rate * seconds
    sent: dict[int, float] = {}
    lock = threading.Lock()
    start = time.monotonic() + 0.5
    errors = []
    url = urlsplit(base)

    def worker(k):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        for i in range(k, total, workers):
            body = json.dumps({"title": f"bench {i}"})
            headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}", "Content-Type": "application/json"}
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            t0 = time.time() * 1000
            conn.request("POST", "/api/tasks", body, headers)
            r = conn.getresponse()
            answer = r.read()
            if r.status != 201:
                errors.append(r.status)
                continue
            with lock:
                sent[json.loads(answer)["id"]] = t0
        conn.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} writes failed: {errors[:5]}")
    return sent


def push_latencies(base, rate, seconds, users, warmup=0):
    """Write → WebSocket latencies (ms) of `seconds` of paced writes, after `warmup` seconds of the
    same load whose figures are dropped (JIT of the broker, connection pools, caches); also the
    wall-clock ms at which the measured writes began."""
    tokens = [signup(base) for _ in range(users)]
    sockets = [Socket(base, t) for t in tokens]
    time.sleep(0.5)
    if warmup:
        paced_writes(base, tokens, rate, warmup)
    begun = time.time() * 1000
    sent = paced_writes(base, tokens, rate, seconds)
    arrivals: dict[int, float] = {}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        arrivals = {k: v for s in sockets for k, v in s.arrivals.items()}
        if all(t in arrivals for t in sent):
            break
        time.sleep(0.1)
    for sock in sockets:
        sock.close()
    missing = [t for t in sent if t not in arrivals]
    if missing:
        raise RuntimeError(f"{len(missing)} tasks never reached the WebSocket")
    return [arrivals[t] - sent[t] for t in sent], begun


def baseline(rate, seconds, users, warmup):
    data = tempfile.mkdtemp(prefix="tickler-bench-serve-")
    port = stack_module.free_port()
    proc = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--data", data, "--log-level", "warn"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        stack_module.wait_http(f"http://127.0.0.1:{port}/healthz", 30, proc=proc)
        return push_latencies(f"http://127.0.0.1:{port}", rate, seconds, users, warmup)[0]
    finally:
        proc.terminate()
        proc.wait(20)


def psql(stack, db, sql):
    out = subprocess.run([ROOT / "tools/postgres/pg.sh", "psql", stack.state / "pg", db, "--", "-At", "-F", ",",
                          "-c", sql], capture_output=True, text=True, check=True)
    return [line.split(",") for line in out.stdout.splitlines() if line]


def auditor_latencies(stack, since_ms):
    """(outbox write → Kafka acknowledged the publish, outbox write → auditor's effect), in ms, of
    the events written from `since_ms` (wall clock) on."""
    rows = psql(stack, "tickler_api", "SELECT id, created_at, sent_at FROM outbox "
                f"WHERE topic = 'task-events' AND created_at >= {int(since_ms)}")
    created = {eid: int(at) for eid, at, _ in rows}
    published = [int(sent) - int(at) for _, at, sent in rows if sent]
    done = psql(stack, "tickler_auditor",
                "SELECT event_id, processed_at FROM processed_events WHERE consumer = 'auditor'")
    return published, [int(at) - created[eid] for eid, at in done if eid in created]


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_by_program():
    """CPU seconds used so far by every process on the machine, summed per program name
    (tickler, daprd, java = Kafka, postgres, scheduler, python = the load generator, …)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def cpu_share(before, after, wall):
    """Each program's share of the machine's CPUs over `wall` seconds, biggest first."""
    cpus = os.cpu_count() or 1
    used = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    return {k: round(v / (wall * cpus), 3) for k, v in sorted(used.items(), key=lambda kv: -kv[1]) if v >= 0.1}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rate", type=int, default=100,
                    help="task writes per second; each publishes two events (task-events, task-updates)")
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--users", type=int, default=20,
                    help="users taking turns (the Kafka key is the user: one user is one partition)")
    ap.add_argument("--warmup", type=int, default=10,
                    help="seconds of the same load before measuring, figures dropped")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    print(f"baseline: tickler serve, {args.rate} writes/s for {args.warmup} s + {args.seconds} s", flush=True)
    base = summary(baseline(args.rate, args.seconds, args.users, args.warmup))

    state = Path(tempfile.mkdtemp(prefix="tickler-bench-stack-"))
    stack = stack_module.Stack(state, tickler=BIN, realtime_replicas=1)
    try:
        print("starting the distributed stack", flush=True)
        stack.up()
        time.sleep(10)
        rss = {name: {"app_mb": round(rss_kb(s.app.pid) / 1024, 1),
                      "daprd_mb": round(rss_kb(s.sidecar.pid) / 1024, 1)}
               for name, s in stack.services.items()}
        print(f"distributed: {args.rate} writes/s for {args.warmup} s + {args.seconds} s", flush=True)
        cpu0, t0 = cpu_by_program(), time.monotonic()
        ws, begun = push_latencies(stack.services["api"].url, args.rate, args.seconds, args.users, args.warmup)
        ws = summary(ws)
        cpu = cpu_share(cpu0, cpu_by_program(), time.monotonic() - t0)
        time.sleep(3)
        published, audited = auditor_latencies(stack, begun)
        published, audit = summary(published), summary(audited)
    finally:
        stack.down()

    result = {"rate_per_s": args.rate, "events_per_s": 2 * args.rate, "seconds": args.seconds, "warmup_s": args.warmup, "users": args.users, "baseline_serve_api_to_ws": base,
              "dapr_api_to_ws": ws, "dapr_api_to_auditor": audit, "dapr_api_relay_published": published, "cpu_share_under_load": cpu, "rss_idle": rss}
    (OUT / "dapr.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    print(f"\napi→WebSocket p99: {ws['p99_ms']} ms through Dapr+Kafka vs {base['p99_ms']} ms in-process "
          f"({ws['p99_ms'] / base['p99_ms']:.1f}x); api→auditor p99 {audit['p99_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
