#!/usr/bin/env python3
"""Fairness between users of one `tickler serve` (issue E), each figure beside its baseline from
the same run (the same scenario without the hostile user), each run against a fresh server.

  fairness_bench.py deliveries   B's webhook lateness; A has 50 reminders due at the same instant
                                 to a receiver that accepts connections and never answers
  fairness_bench.py recurrence   B's api → audit and api → WebSocket latency while A completes
                                 and reopens the costliest accepted recurring task (daily since
                                 2000) over and over

TICKLER_BIN chooses the binary (e.g. a build of an earlier commit, with --server-args '').

Loopback only; every loop is bounded. Prints a table and writes bench/out/fairness-<name>.json.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "api"), str(ROOT / "tests" / "e2e")]

from e2e_support import WsClient, history, iso_ms, now_ms, ws_url  # noqa: E402
from helpers import create_task, signup  # noqa: E402
from tickler_server import TicklerServer, tickler_binary  # noqa: E402
from webhook_receivers import BlackHole, Receiver  # noqa: E402

OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


SERVER_ARGS: list[str] = []


def fresh_server(tmp: Path, name: str) -> TicklerServer:
    return TicklerServer(tickler_binary(), tmp / name / "data", tmp / f"{name}.log", SERVER_ARGS).start()


def deliveries_round(tmp: Path, name: str, hostile: bool, rounds: int) -> list[float]:
    """B's webhook lateness (ms after remind_at) in each round."""
    srv = fresh_server(tmp, name)
    hole, healthy = BlackHole(), Receiver(statuses=(200,))
    try:
        a, b = signup(srv.base_url), signup(srv.base_url)
        a.api.put("/api/me/webhook", json={"url": hole.url})
        b.api.put("/api/me/webhook", json={"url": healthy.url})
        late = []
        for r in range(rounds):
            due = now_ms() + 3000
            if hostile:
                for i in range(50):
                    create_task(a.api, title=f"A {r}.{i}", reminders=[{"at": iso_ms(due)}])
            create_task(b.api, title=f"B {r}", reminders=[{"at": iso_ms(due)}])
            deadline = time.monotonic() + 20
            while len(healthy.requests) <= r and time.monotonic() < deadline:
                time.sleep(0.005)
            late.append(healthy.requests[r]["at"] - due if len(healthy.requests) > r else 20_000)
        return late
    finally:
        hole.close()
        healthy.close()
        srv.kill()


def recurrence_round(tmp: Path, name: str, hostile: bool, writes: int) -> tuple[list, list]:
    """B's api → WebSocket and api → audit latencies (ms) over `writes` sequential writes."""
    srv = fresh_server(tmp, name)
    try:
        a, b = signup(srv.base_url), signup(srv.base_url)
        costly = create_task(a.api, title="Daily since 2000", due_at="2000-01-01T09:00:00Z",
                             time_zone="Europe/Berlin",
                             recurrence={"rrule": "FREQ=DAILY", "mode": "schedule"})
        stop = threading.Event()

        def hammer():
            while not stop.is_set():
                for action in ("complete", "reopen"):
                    a.api.post(f"/api/tasks/{costly['id']}/{action}")
                time.sleep(0.02)

        attacker = threading.Thread(target=hammer)
        ws = WsClient(ws_url(srv.base_url, b.token))
        ws.hello()
        if hostile:
            attacker.start()
        live, audit = [], []
        try:
            for i in range(writes):
                task = create_task(b.api, title=f"B {i}")
                answered = now_ms()
                at, _ = ws.wait_for(lambda m, t=task["id"]: m.get("op") == "created" and m["task"]["id"] == t,
                                    timeout=10)
                live.append(at - answered)
                deadline = time.monotonic() + 10
                while not history(b.api, task["id"]) and time.monotonic() < deadline:
                    time.sleep(0.002)
                audit.append(now_ms() - answered)
                time.sleep(0.05)
        finally:
            stop.set()
            if hostile:
                attacker.join(timeout=30)
            ws.close()
        return live, audit
    finally:
        srv.kill()


def summary(values):
    return {"n": len(values), "p50": round(statistics.median(values), 1),
            "p99": round(pct(values, 99), 1), "max": round(max(values), 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", choices=["deliveries", "recurrence"])
    parser.add_argument("--rounds", type=int, default=10, help="deliveries: rounds of reminders")
    parser.add_argument("--writes", type=int, default=200, help="recurrence: B's writes")
    parser.add_argument("--server-args", default="--allowed-destinations 127.0.0.0/8",
                        help="arguments of every tickler serve (the receivers are on loopback); "
                             "'' for a build from before the destination policy")
    args = parser.parse_args()
    SERVER_ARGS[:] = args.server_args.split()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tickler-fairness-") as tmp:
        tmp = Path(tmp)
        if args.bench == "deliveries":
            result = {"baseline_b_alone": summary(deliveries_round(tmp, "alone", False, args.rounds)),
                      "with_a_dead_webhook": summary(deliveries_round(tmp, "hostile", True, args.rounds))}
            print("B's webhook lateness, ms after remind_at:")
        else:
            live0, audit0 = recurrence_round(tmp, "alone", False, args.writes)
            live1, audit1 = recurrence_round(tmp, "hostile", True, args.writes)
            result = {"baseline_b_alone": {"websocket": summary(live0), "audit": summary(audit0)},
                      "with_a_costly_rule": {"websocket": summary(live1), "audit": summary(audit1)}}
            print("B's latency after the POST answered, ms:")
    print(json.dumps(result, indent=2))
    (OUT / f"fairness-{args.bench}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
