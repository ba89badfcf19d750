#!/usr/bin/env bash
# MCP against REST, same run: tools/call add_task (POST /mcp, 2026-07-28) against POST /api/tasks.
# Usage: bench/mcp.sh   (see bench/README.md, "MCP")
#
# Starts build/tickler on a free port with a throw-away data directory, signs up one user, then
# runs wrk alternately against POST /api/tasks (create.lua) and POST /mcp (mcp_add.lua, the same
# task body as an add_task call), BENCH_ROUNDS rounds each, and prints both throughputs and
# their ratio (the target: MCP ≥ 70 % of REST). Raw outputs go to bench/out/mcp/ (gitignored).
#
# Knobs (environment): TICKLER_BIN (build/tickler), BENCH_DURATION (10s), BENCH_ROUNDS (2),
# BENCH_THREADS (2), BENCH_CONNS (32), BENCH_OUT (bench/out/mcp), BENCH_STRICT=1 to exit 1
# when the ratio is under the target.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
NAME=mcp
ROUNDS=${BENCH_ROUNDS:-2}
OUT=${BENCH_OUT:-bench/out/mcp}
STRICT=${BENCH_STRICT:-0}
source bench/lib/serve.sh
start_server

# Alternating rounds, so both see the same store size and the same machine load.
for round in $(seq "$ROUNDS"); do
  run_wrk "rest-$round" create.lua /api/tasks
  run_wrk "mcp-$round" mcp_add.lua /mcp
done

PYTHONPATH=bench/lib python3 - "$OUT" "$ROUNDS" "$STRICT" <<'PY'
import sys
from wrk_results import load, print_table
out, rounds, strict = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
names = [f"{kind}-{i}" for i in range(1, rounds + 1) for kind in ("rest", "mcp")]
clean = print_table(out, names)
totals = {}
for name in names:
    r, _ = load(out, name)
    t = totals.setdefault(name.split("-")[0], [0.0, 0.0])
    t[0] += r["requests"]; t[1] += r["duration_s"]
rest = totals["rest"][0] / totals["rest"][1]
mcp = totals["mcp"][0] / totals["mcp"][1]
ratio = mcp / rest
verdict = "PASS" if ratio >= 0.70 else "FAIL"
print(f"POST /api/tasks {rest:.0f} req/s, tools/call add_task {mcp:.0f} req/s: {ratio:.0%} (target >= 70 %) {verdict}")
if not clean:
    print("INVALID: a run had errors (HTTP >= 400, socket errors or isError results); see the .txt files")
    sys.exit(2)
sys.exit(1 if strict and verdict == "FAIL" else 0)
PY
