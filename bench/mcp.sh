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
ROOT=$PWD
BIN=${TICKLER_BIN:-build/tickler}
DURATION=${BENCH_DURATION:-10s}
ROUNDS=${BENCH_ROUNDS:-2}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-32}
OUT=${BENCH_OUT:-bench/out/mcp}
STRICT=${BENCH_STRICT:-0}
export BENCH_LUA_DIR="$ROOT/bench/lua"
export TICKLER_JWT_SECRET="tickler-bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

SERVER_PID=""
DATA_DIR=""
log() { printf '[bench mcp] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n $DATA_DIR && -d $DATA_DIR ]]; then rm -rf "$DATA_DIR"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v wrk >/dev/null 2>&1 || die "wrk is needed (scripts/deps.sh bench, or apt-get install wrk)"
[[ -x $BIN ]] || die "$BIN not found or not executable; build it first"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/*.txt "$OUT"/*.json "$OUT"/*.tool_errors "$OUT"/server.log

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tickler-bench-mcp.XXXXXX")
log "starting $BIN on $BASE"
"$BIN" serve --host 127.0.0.1 --port "$PORT" --data "$DATA_DIR" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
up=0
for _ in $(seq 300); do
  kill -0 "$SERVER_PID" 2>/dev/null || die "server exited during start-up (log: $OUT/server.log)"
  if python3 bench/seed.py probe --base-url "$BASE" --path /healthz; then up=1; break; fi
  sleep 0.1
done
[[ $up -eq 1 ]] || die "GET /healthz did not answer 200"
TICKLER_TOKEN=$(python3 bench/seed.py signup --base-url "$BASE" \
  --email "bench@example.com" --password "bench-password-123" --name "Bench")
[[ -n $TICKLER_TOKEN ]] || die "signup gave no token"
export TICKLER_TOKEN

run_wrk() {  # name script path
  local name=$1 script=$2 path=$3
  log "wrk $name: -t$THREADS -c$CONNS -d$DURATION $BASE$path"
  BENCH_RESULT="$OUT/$name.json" \
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "bench/lua/$script" "$BASE$path" >"$OUT/$name.txt"
  [[ -s $OUT/$name.json ]] || die "wrk $name wrote no result (see $OUT/$name.txt)"
  kill -0 "$SERVER_PID" 2>/dev/null || die "server died during the $name run (log: $OUT/server.log)"
}

# Alternating rounds, so both see the same store size and the same machine load.
for round in $(seq "$ROUNDS"); do
  run_wrk "rest-$round" create.lua /api/tasks
  run_wrk "mcp-$round" mcp_add.lua /mcp
done

python3 - "$OUT" "$ROUNDS" "$STRICT" <<'PY'
import json, sys
out, rounds, strict = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
def load(name):
    r = json.load(open(f"{out}/{name}.json"))
    e = r["errors"]
    bad = e["status"] + e["connect"] + e["read"] + e["write"] + e["timeout"]
    try:
        bad += int(open(f"{out}/{name}.json.tool_errors").read())
    except FileNotFoundError:
        pass
    return r, bad
rows, invalid = [], False
totals = {"rest": [0.0, 0], "mcp": [0.0, 0]}
for i in range(1, rounds + 1):
    for kind in ("rest", "mcp"):
        r, bad = load(f"{kind}-{i}")
        invalid |= bad > 0
        totals[kind][0] += r["requests"]; totals[kind][1] += r["duration_s"]
        rows.append((f"{kind} round {i}", r["rps"], r["latency_us"]["p50"] / 1000, r["latency_us"]["p99"] / 1000, bad))
print(f"{'run':<16}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
for name, rps, p50, p99, bad in rows:
    print(f"{name:<16}{rps:>10.0f}{p50:>10.2f}{p99:>10.2f}{bad:>8}")
rest = totals["rest"][0] / totals["rest"][1]
mcp = totals["mcp"][0] / totals["mcp"][1]
ratio = mcp / rest
verdict = "PASS" if ratio >= 0.70 else "FAIL"
print(f"POST /api/tasks {rest:.0f} req/s, tools/call add_task {mcp:.0f} req/s: {ratio:.0%} (target >= 70 %) {verdict}")
if invalid:
    print("INVALID: a run had errors (HTTP >= 400, socket errors or isError results); see the .txt files")
    sys.exit(2)
sys.exit(1 if strict and verdict == "FAIL" else 0)
PY
