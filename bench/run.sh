#!/usr/bin/env bash
# Tickler load benchmark. Usage: bench/run.sh   (from anywhere; see bench/README.md)
#
# Starts build/tickler on a free port with a throw-away data directory, signs up one user,
# seeds it with 10,000 tasks, runs wrk against /healthz, GET /api/tasks?limit=50 and
# POST /api/tasks, then a lighter GET /api/tasks run for latency, reads the server's RSS and
# stops it with SIGTERM. Raw wrk outputs go to bench/out/ (gitignored).
#
# Knobs (environment): TICKLER_BIN (default build/tickler), BENCH_DURATION (10s),
# BENCH_THREADS (2), BENCH_CONNS (32), BENCH_TASKS (10000),
# SEED_THREADS (8), BENCH_OUT (bench/out), BENCH_STRICT=1 to exit 1 when a target is missed,
# BENCH_START_TIMEOUT / BENCH_STOP_TIMEOUT (30 / 10 seconds).
# Profiling: BENCH_PERF=1 records the server with `perf record -g` during the wrk runs
# (bench/out/perf.data); BENCH_WRAP="valgrind --tool=callgrind ..." prefixes the server command.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BIN=${TICKLER_BIN:-build/tickler}
DURATION=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-32}


TASKS=${BENCH_TASKS:-10000}
SEED_THREADS=${SEED_THREADS:-8}
OUT=${BENCH_OUT:-bench/out}
STRICT=${BENCH_STRICT:-0}
START_TIMEOUT=${BENCH_START_TIMEOUT:-30}
STOP_TIMEOUT=${BENCH_STOP_TIMEOUT:-10}
PERF=${BENCH_PERF:-0}
read -r -a WRAP <<<"${BENCH_WRAP:-}"
export BENCH_LUA_DIR="$ROOT/bench/lua"
export TICKLER_JWT_SECRET="tickler-bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

SERVER_PID=""
PERF_PID=""
DATA_DIR=""

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

stop_perf() {
  [[ -n $PERF_PID ]] || return 0
  kill -INT "$PERF_PID" 2>/dev/null || true
  wait "$PERF_PID" 2>/dev/null || true
  PERF_PID=""
}

stop_server() {
  # SIGTERM, wait up to STOP_TIMEOUT s, then SIGKILL. Sets SERVER_RC and SERVER_STOP_S.
  SERVER_RC=""
  SERVER_STOP_S=""
  [[ -n $SERVER_PID ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    local t0 t1
    t0=$(date +%s.%N)
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq $((STOP_TIMEOUT * 10))); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      log "server (pid $SERVER_PID) still running ${STOP_TIMEOUT} s after SIGTERM; sending SIGKILL"
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    t1=$(date +%s.%N)
    SERVER_STOP_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  fi
  SERVER_RC=0
  wait "$SERVER_PID" 2>/dev/null || SERVER_RC=$?
  SERVER_PID=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_perf || true
  stop_server || true
  if [[ -n $DATA_DIR && -d $DATA_DIR ]]; then rm -rf "$DATA_DIR"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- prerequisites ---------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
command -v python3 >/dev/null 2>&1 || die "python3 is needed (bench/seed.py)"
if [[ $PERF == 1 ]]; then command -v perf >/dev/null 2>&1 || die "BENCH_PERF=1 needs perf (apt-get install linux-perf)"; fi
[[ -x $BIN ]] || die "$BIN not found or not executable; build it first (make / cmake --build build)"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/*.txt "$OUT"/*.json "$OUT"/server.log "$OUT"/perf.data "$OUT"/perf.log

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tickler-bench.XXXXXX")

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "binary: $BIN"
  echo "cpus: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
  echo "wrk: $(wrk --version 2>&1 | head -1)"
  echo "load: threads=$THREADS conns=$CONNS duration=$DURATION; latency run: the same connections paced to half the list req/s"
  echo "tasks seeded: $TASKS"
  [[ ${#WRAP[@]} -eq 0 ]] || echo "server wrapped in: ${WRAP[*]}"
} >"$OUT/meta.txt"

# --- server ----------------------------------------------------------------------------------
log "starting $BIN on $BASE (data $DATA_DIR)"
${WRAP[@]+"${WRAP[@]}"} "$BIN" serve --host 127.0.0.1 --port "$PORT" --data "$DATA_DIR" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!

up=0
for _ in $(seq $((START_TIMEOUT * 10))); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    tail -n 20 "$OUT/server.log" >&2 || true
    die "server exited during start-up (log: $OUT/server.log)"
  fi
  if python3 bench/seed.py probe --base-url "$BASE" --path /healthz; then
    up=1
    break
  fi
  sleep 0.1
done
[[ $up -eq 1 ]] || die "GET /healthz did not answer 200 within ${START_TIMEOUT} s"
log "server up (pid $SERVER_PID)"

TICKLER_TOKEN=$(python3 bench/seed.py signup --base-url "$BASE" \
  --email "bench@example.com" --password "bench-password-123" --name "Bench")
[[ -n $TICKLER_TOKEN ]] || die "signup gave no token"
export TICKLER_TOKEN

log "seeding $TASKS tasks"
python3 bench/seed.py tasks --base-url "$BASE" --token "$TICKLER_TOKEN" \
  --count "$TASKS" --threads "$SEED_THREADS" | tee "$OUT/seed.txt" >&2

# --- load ------------------------------------------------------------------------------------
run_wrk() {  # name threads conns script url
  local name=$1 t=$2 c=$3 script=$4 url=$5
  log "wrk $name: -t$t -c$c -d$DURATION $url"
  BENCH_RESULT="$OUT/$name.json" \
    wrk -t"$t" -c"$c" -d"$DURATION" --latency -s "bench/lua/$script" "$url" >"$OUT/$name.txt"
  [[ -s $OUT/$name.json ]] || die "wrk $name wrote no result (see $OUT/$name.txt)"
  kill -0 "$SERVER_PID" 2>/dev/null || die "server died during the $name run (log: $OUT/server.log)"
}

if [[ $PERF == 1 ]]; then
  log "perf record -g on pid $SERVER_PID -> $OUT/perf.data"
  perf record -e cpu-clock -g -o "$OUT/perf.data" -p "$SERVER_PID" >"$OUT/perf.log" 2>&1 &
  PERF_PID=$!
  sleep 1
fi

run_wrk healthz "$THREADS" "$CONNS" healthz.lua "$BASE/healthz"
run_wrk list "$THREADS" "$CONNS" list.lua "$BASE/api/tasks?limit=50"
# Latency at about half the measured list throughput: the same connections, each pausing
# between requests (wrk's delay()) so that together they send half the saturated rate.
LIST_RPS=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["rps"]))' "$OUT/list.json")
PACE_MS=$(( CONNS * 1000 * 2 / LIST_RPS ))
BENCH_PACE_MS=$PACE_MS run_wrk list-latency "$THREADS" "$CONNS" list.lua "$BASE/api/tasks?limit=50"

# Writes last: the WAL they leave behind is still being checkpointed for a while afterwards.
run_wrk create "$THREADS" "$CONNS" create.lua "$BASE/api/tasks"

stop_perf

# --- memory and shutdown ---------------------------------------------------------------------
grep -E '^(VmRSS|VmHWM)' "/proc/$SERVER_PID/status" >"$OUT/memory.txt" || die "cannot read /proc/$SERVER_PID/status"
RSS_KB=$(awk '/^VmRSS/ { print $2 }' "$OUT/memory.txt")
HWM_KB=$(awk '/^VmHWM/ { print $2 }' "$OUT/memory.txt")

log "stopping the server (SIGTERM)"
stop_server
echo "server exit status: $SERVER_RC after ${SERVER_STOP_S}s" >>"$OUT/meta.txt"

# --- summary ---------------------------------------------------------------------------------
python3 - "$OUT" "$RSS_KB" "$HWM_KB" "$SERVER_RC" "$SERVER_STOP_S" "$STRICT" <<'PY'
import json, sys
out, rss_kb, hwm_kb, server_rc, stop_s, strict = sys.argv[1:]
r = {n: json.load(open(f"{out}/{n}.json")) for n in ("healthz", "list", "create", "list-latency")}
ms = lambda us: us / 1000.0

def errors(x):
    e = x["errors"]
    socket = e["connect"] + e["read"] + e["write"] + e["timeout"]
    return e["status"], socket

rows = [("GET /healthz", "healthz"), ("GET /api/tasks?limit=50", "list"),
        ("POST /api/tasks", "create"), ("GET /api/tasks?limit=50 (paced)", "list-latency")]
print()
print(f"{'run':<36}{'req/s':>10}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}{'>=400':>8}{'sock err':>9}")
invalid = []
for label, n in rows:
    x = r[n]; lat = x["latency_us"]; st, so = errors(x)
    print(f"{label:<36}{x['rps']:>10.0f}{ms(lat['p50']):>9.2f}{ms(lat['p90']):>9.2f}{ms(lat['p99']):>9.2f}"
          f"{ms(lat['max']):>9.2f}{st:>8}{so:>9}")
    if st or so:
        invalid.append(f"{n}: {st} responses >= 400, {so} socket errors")
print()

ratio = r["list"]["rps"] / r["healthz"]["rps"] if r["healthz"]["rps"] else 0.0
lat_load = r["list-latency"]["rps"] / r["list"]["rps"] if r["list"]["rps"] else 0.0
p99 = ms(r["list-latency"]["latency_us"]["p99"])
create = r["create"]["rps"]
rss_mb = int(rss_kb) / 1024.0
hwm_mb = int(hwm_kb) / 1024.0
checks = [
    ("list / healthz req/s", f"{ratio:.1%}", ">= 15%", ratio >= 0.15),
    ("list p99 at lighter load", f"{p99:.2f} ms (at {lat_load:.0%} of list req/s)", "<= 5 ms", p99 <= 5.0),
    ("creates per second", f"{create:.0f}/s", ">= 5000/s", create >= 5000),
    ("RSS after the runs", f"{rss_mb:.1f} MB (peak {hwm_mb:.1f} MB)", "<= 60 MB", rss_mb <= 60.0),
]
print(f"{'target':<28}{'measured':<38}{'goal':<12}result")
for name, got, goal, ok in checks:
    print(f"{name:<28}{got:<38}{goal:<12}{'PASS' if ok else 'FAIL'}")
print()
print(f"server stopped with exit status {server_rc} {stop_s}s after SIGTERM"
      + ("" if server_rc == "0" else "  (expected 0: graceful shutdown)"))
for line in invalid:
    print(f"INVALID RUN: {line}")
print(f"raw outputs: {out}/")
failed = [c for c in checks if not c[3]]
if invalid:
    sys.exit(2)
if failed and strict == "1":
    sys.exit(1)
PY
