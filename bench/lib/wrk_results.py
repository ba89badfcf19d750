"""Reads the numbers lua/report.lua wrote for the wrk runs of one bench ($OUT/<name>.json) and
prints them as a table; used by the comparison benches (mcp.sh, assistant.sh)."""

from __future__ import annotations

import json


def load(out: str, name: str) -> tuple[dict, int]:
    """The run's numbers and its count of bad answers: HTTP >= 400, socket errors, and the
    answers the script found wrong ($BENCH_RESULT.tool_errors)."""
    with open(f"{out}/{name}.json") as f:
        r = json.load(f)
    e = r["errors"]
    bad = e["status"] + e["connect"] + e["read"] + e["write"] + e["timeout"]
    try:
        with open(f"{out}/{name}.json.tool_errors") as f:
            bad += int(f.read())
    except FileNotFoundError:
        pass
    return r, bad


def print_table(out: str, names: list[str]) -> bool:
    """Prints req/s, p50 and p99 (ms) and errors per run; True when every run was clean."""
    clean = True
    print(f"{'run':<18}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name in names:
        r, bad = load(out, name)
        clean &= bad == 0
        lat = r["latency_us"]
        print(f"{name:<18}{r['rps']:>10.0f}{lat['p50'] / 1000:>10.2f}{lat['p99'] / 1000:>10.2f}{bad:>8}")
    return clean
