#!/usr/bin/env bash
# bench/pg_queries.sh — the listing queries of bench/scale.sh against the api role of one binary
# over an existing PostgreSQL database (e.g. one bench/pg_seed.sql filled), for comparing two
# builds on the same data: run it for each, alternated. Per query: a warm-up of 10 requests,
# then wrk -t2 -c$CONNS for $DUR seconds; prints the rate, p50 / p99 / max, and the CPU time per
# request of the api process and of the PostgreSQL backends (from /proc: every backend on a
# TCP connection to this machine's servers, so run it with nothing else connected).
#
#   PG_URL=postgresql://… BENCH_EMAIL=curve0@bench.example bench/pg_queries.sh build/tickler
#
# Knobs: PG_URL (required), BENCH_EMAIL / BENCH_PASSWORD (a user of that database; scale.py's
# password by default), QS ("name:path …", scale.py's queries by default), DUR (5), CONNS (16),
# API_ARGS (extra flags for `tickler api`), PORT (18556).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${1:?usage: bench/pg_queries.sh <tickler binary>}
: "${PG_URL:?set PG_URL}"
PORT=${PORT:-18556}
export TICKLER_JWT_SECRET=tickler-bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz
# shellcheck disable=SC2086
"$BIN" api --host 127.0.0.1 --port "$PORT" --database-url "$PG_URL" --log-level warn ${API_ARGS:-} \
  >/dev/null 2>&1 &
API=$!
trap 'kill $API 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "localhost:$PORT/healthz" >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -s -XPOST "localhost:$PORT/api/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"${BENCH_EMAIL:?set BENCH_EMAIL}\",\"password\":\"${BENCH_PASSWORD:-bench-password-0123}\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
RESULT=$(mktemp)
export BENCH_LUA_DIR=bench/lua TICKLER_TOKEN=$TOKEN BENCH_RESULT=$RESULT
cpu() {  # clock ticks of the api and of its database backends
  local api pg=0 p
  api=$(awk '{print $14 + $15}' "/proc/$API/stat")
  for p in $(pgrep -f "postgres: .*127.0.0.1\(" || true); do
    pg=$((pg + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$api $pg"
}
QS=${QS:-"list:/api/tasks?limit=50 pay:/api/tasks?q=pay&limit=50 zanzibar:/api/tasks?q=zanzibar&limit=50 pa_re:/api/tasks?q=pa%20re&limit=50 tag_priority:/api/tasks?tag=home&priority=high&limit=50 priority:/api/tasks?priority=high&limit=50"}
for q in $QS; do
  name=${q%%:*}
  path=${q#*:}
  for _ in $(seq 10); do curl -s -H "Authorization: Bearer $TOKEN" "localhost:$PORT$path" -o /dev/null; done
  before=$(cpu)
  wrk -t2 -c"${CONNS:-16}" -d"${DUR:-5}"s --latency -s bench/lua/list.lua "http://127.0.0.1:$PORT$path" >/dev/null
  after=$(cpu)
  python3 - "$RESULT" "$name" "$before" "$after" "$(getconf CLK_TCK)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a0, g0 = map(int, sys.argv[3].split()); a1, g1 = map(int, sys.argv[4].split())
tick_ms = 1000 / int(sys.argv[5]); n = r["requests"]; lat = r["latency_us"]
print(f"{sys.argv[2]}: {r['rps']:.0f}/s, p50 {lat['p50'] / 1000:.1f} ms, p99 {lat['p99'] / 1000:.1f} ms, "
      f"max {lat['max'] / 1000:.0f} ms; CPU per request: api {(a1 - a0) * tick_ms / n:.3f} ms, "
      f"postgres {(g1 - g0) * tick_ms / n:.3f} ms")
PY
done
rm -f "$RESULT"
