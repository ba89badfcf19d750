# bench/lib/serve.sh — sourced by the comparison benches (mcp.sh, assistant.sh): one
# `tickler serve` on a free loopback port with a throw-away data directory, one signed-up user,
# and wrk runs whose numbers land in $OUT/<name>.json (lua/report.lua). The EXIT trap stops the
# server and removes its data however the script ends.
#
# The sourcing script sets NAME (for log lines) and OUT, and may set BIN, THREADS, CONNS and
# DURATION before calling start_server.

BIN=${TICKLER_BIN:-build/tickler}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNS:-32}
DURATION=${BENCH_DURATION:-10s}
export BENCH_LUA_DIR="$PWD/bench/lua"
export TICKLER_JWT_SECRET="tickler-bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

SERVER_PID=""
DATA_DIR=""
log() { printf '[bench %s] %s\n' "$NAME" "$*" >&2; }
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

# start_server: starts $BIN, waits for /healthz, signs up one user and exports TICKLER_TOKEN
# and BASE.
start_server() {
  command -v wrk >/dev/null 2>&1 || die "wrk is needed (scripts/deps.sh bench, or apt-get install wrk)"
  [[ -x $BIN ]] || die "$BIN not found or not executable; build it first"
  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd)
  rm -f "$OUT"/*.txt "$OUT"/*.json "$OUT"/*.tool_errors "$OUT"/server.log
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$port"
  export BASE
  DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tickler-bench-$NAME.XXXXXX")
  log "starting $BIN on $BASE"
  "$BIN" serve --host 127.0.0.1 --port "$port" --data "$DATA_DIR" >"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  local up=0
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
}

# run_wrk NAME SCRIPT PATH [CONNS]: one wrk run; its numbers go to $OUT/NAME.json.
run_wrk() {
  local name=$1 script=$2 path=$3 conns=${4:-$CONNS}
  local threads=$THREADS
  (( threads <= conns )) || threads=$conns
  log "wrk $name: -t$threads -c$conns -d$DURATION $BASE$path"
  BENCH_RESULT="$OUT/$name.json" \
    wrk -t"$threads" -c"$conns" -d"$DURATION" --latency -s "bench/lua/$script" "$BASE$path" >"$OUT/$name.txt"
  [[ -s $OUT/$name.json ]] || die "wrk $name wrote no result (see $OUT/$name.txt)"
  kill -0 "$SERVER_PID" 2>/dev/null || die "server died during the $name run (log: $OUT/server.log)"
}
