#!/usr/bin/env bash
# bench/scale.sh — cost as data and users grow, for both engines (see bench/README.md):
# the curve 10k → 100k → 1M tasks of one user and the shape "one user's 1,000 tasks alone →
# among 1,000 users × 1,000 tasks", each query against /healthz of the same step, with RSS,
# database and WAL bytes, seeding figures and start-up time. SQLite: `tickler serve`;
# PostgreSQL: the api role over a throw-away server (tools/postgres/pg.sh), no sidecar.
#
#   bench/scale.sh                    both engines, the full sizes (about 40 minutes here)
#   SCALE_ENGINES=sqlite SCALE_SIZES=10000,100000 SCALE_USERS=100 bench/scale.sh
#
# Knobs: TICKLER_BIN (build/tickler), BENCH_OUT (bench/out/scale), SCALE_ENGINES
# ("sqlite postgres"), SCALE_SIZES (10000,100000,1000000), SCALE_USERS / SCALE_USER_TASKS
# (1000 / 1000), BENCH_DURATION (5, seconds per query), BENCH_CONNS (16), SCALE_SERVE_ARGS
# (extra server flags, e.g. "--outbox-retention 60"), SCALE_PG_SEED (sql: PostgreSQL is seeded
# by bench/pg_seed.sql, checked against tasks the API creates; api: over the API, 20–30 min/1M),
# SCALE_ONLY (curve or shape: that part alone), SCALE_MEASURE_LOCK (a file held with flock during
# each step's wrk runs, e.g. /tmp/tickler-build.lock: no build beside the measuring, none blocked
# while seeding).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${TICKLER_BIN:-build/tickler}
OUT=${BENCH_OUT:-bench/out/scale}
ENGINES=${SCALE_ENGINES:-sqlite postgres}
PG_STATE=""

cleanup() {
  if [[ -n $PG_STATE ]]; then
    tools/postgres/pg.sh stop "$PG_STATE" >/dev/null 2>&1 || true
    rm -rf "$PG_STATE"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! command -v wrk >/dev/null 2>&1; then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
[[ -x $BIN ]] || { echo "scale.sh: $BIN not found; build it first (make)" >&2; exit 1; }

common=(--bin "$BIN" --sizes "${SCALE_SIZES:-10000,100000,1000000}"
        --users "${SCALE_USERS:-1000}" --user-tasks "${SCALE_USER_TASKS:-1000}"
        --duration "${BENCH_DURATION:-5}" --conns "${BENCH_CONNS:-16}")
for arg in ${SCALE_SERVE_ARGS:-}; do common+=(--serve-arg="$arg"); done
[[ -z ${SCALE_ONLY:-} ]] || common+=(--only "$SCALE_ONLY")

mkdir -p "$OUT"
results=()
for engine in $ENGINES; do
  case $engine in
    sqlite)
      python3 bench/scale.py "${common[@]}" --out "$OUT/sqlite" >/dev/null
      ;;
    postgres)
      PG_STATE=$(mktemp -d "${TMPDIR:-/tmp}/tickler-scale-pg.XXXXXX")
      tools/postgres/pg.sh start "$PG_STATE" scale_curve >/dev/null
      python3 bench/scale.py "${common[@]}" --out "$OUT/postgres" --pg-state "$PG_STATE" \
        --pg-seed "${SCALE_PG_SEED:-sql}" >/dev/null
      cleanup
      PG_STATE=""
      ;;
    *) echo "scale.sh: unknown engine $engine" >&2; exit 2 ;;
  esac
  results+=("$OUT/$engine/scale.json")
done
python3 bench/scale_table.py "${results[@]}" | tee "$OUT/table.md"
