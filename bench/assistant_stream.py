"""The assistant's streamed first-token latency (issue G2): a `tickler serve` pointed at the
scripted OpenAI-compatible model of tests/api/model_support.py, which streams each answer as 20
chunks 20 ms apart (≈ 0.4 s a turn, like a small local model). For each turn it times, from the
POST: the first `delta` event, the `done` event, and the pass-through delay (the first delta read
by the client minus the model's first chunk of text sent). Sequential turns, one user.
Usage: build/venv/bin/python bench/assistant_stream.py [--bin build/tickler] [--turns 40]"""

from __future__ import annotations

import argparse
import http.client
import json
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "api"))
from helpers import signup  # noqa: E402
from model_support import MODEL, ScriptedModel, say  # noqa: E402
from tickler_server import TicklerServer  # noqa: E402

TEXT = "".join(f"word{i:02d} " for i in range(20))  # 20 chunks of 7 characters


def turn(base_url: str, token: str) -> tuple[float, float, float]:
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    started = time.monotonic()
    conn.request("POST", "/api/chat", json.dumps({"message": "tell me"}).encode(),
                 {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    resp = conn.getresponse()
    first = done = None
    while True:
        line = resp.readline()
        if not line:
            break
        if line.startswith(b"event: delta") and first is None:
            first = time.monotonic()
        if line.startswith(b"event: done"):
            done = time.monotonic()
    conn.close()
    if first is None or done is None:
        raise SystemExit(f"a turn did not stream (status {resp.status})")
    return started, first, done


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="build/tickler")
    parser.add_argument("--turns", type=int, default=40)
    args = parser.parse_args()
    model = ScriptedModel()
    with tempfile.TemporaryDirectory(prefix="tickler-bench-stream.") as tmp:
        srv = TicklerServer(pathlib.Path(args.bin), pathlib.Path(tmp) / "data",
                            pathlib.Path(tmp) / "server.log",
                            ["--llm-url", model.url, "--llm-model", MODEL, "--log-level", "warn"])
        srv.start()
        try:
            token = signup(srv.base_url).api.headers["Authorization"].split()[1]
            first, done, through = [], [], []
            for _ in range(args.turns):
                model.script = [("chunks", say(TEXT), 7, 0.02)]
                model.sent.clear()
                started, first_at, done_at = turn(srv.base_url, token)
                first.append(first_at - started)
                done.append(done_at - started)
                first_text = next(at for at, delta in model.sent if delta.get("content"))
                through.append(first_at - first_text)
        finally:
            srv.stop()
            model.close()
    print(f"streamed turn, {args.turns} turns (model: 20 chunks 20 ms apart): "
          f"first delta p50 {pct(first, 50):.1f} ms p99 {pct(first, 99):.1f} ms; "
          f"done p50 {pct(done, 50):.1f} ms p99 {pct(done, 99):.1f} ms; "
          f"model's first text chunk → client p50 {pct(through, 50):.2f} ms p99 {pct(through, 99):.2f} ms")


if __name__ == "__main__":
    main()
