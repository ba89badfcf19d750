#!/usr/bin/env bash
# The built-in assistant's figures (issue G2), same run: "what's due this week" for a user with
# 10,000 tasks (target p99 <= 50 ms), and a chat turn that adds a task against POST /api/tasks
# (target <= 2x its latency). Usage: bench/assistant.sh   (see bench/README.md, "Assistant")
#
# Starts build/tickler on a free port with a throw-away data directory and signs up two users:
# the reader gets 10,000 tasks (bench/seed.py, due dates over 60 days from three days ago, so
# this week always holds some), and only asks; the writer's runs alternate POST /api/tasks
# (create.lua) with POST /api/chat "add …" (chat.lua), so the reader's 10,000 stay 10,000.
# /healthz of the same run is the baseline. Raw outputs go to bench/out/assistant/ (gitignored).
#
# Then, unless BENCH_STREAM=0, the streamed first-token latency with a language model
# (bench/assistant_stream.py: a scripted model streaming 20 chunks 20 ms apart).
#
# Knobs (environment): TICKLER_BIN (build/tickler), BENCH_DURATION (10s), BENCH_ROUNDS (2),
# BENCH_CONNS (4), BENCH_THREADS (as many as BENCH_CONNS), BENCH_OUT (bench/out/assistant), BENCH_STRICT=1 to exit 1
# when a target is missed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
NAME=assistant
ROUNDS=${BENCH_ROUNDS:-2}
OUT=${BENCH_OUT:-bench/out/assistant}
STRICT=${BENCH_STRICT:-0}
BENCH_CONNS=${BENCH_CONNS:-4}
# One connection per wrk thread: each thread keeps one conversation, and a conversation takes
# one turn at a time (a second one at once is refused: 409 conversation_busy).
BENCH_THREADS=${BENCH_THREADS:-$BENCH_CONNS}
source bench/lib/serve.sh
start_server

READER_TOKEN=$TICKLER_TOKEN
python3 bench/seed.py tasks --base-url "$BASE" --token "$READER_TOKEN" --count 10000 \
  --due-start "$(date -u -d '3 days ago' +%F)" --due-days 60 >"$OUT/seed.txt"
log "$(cat "$OUT/seed.txt")"
WRITER_TOKEN=$(python3 bench/seed.py signup --base-url "$BASE" \
  --email "writer@example.com" --password "bench-password-123" --name "Writer")

for round in $(seq "$ROUNDS"); do
  run_wrk "healthz-$round" healthz.lua /healthz
  TICKLER_TOKEN=$READER_TOKEN CHAT_MESSAGE="what's due this week" CHAT_EXPECT='"change":"listed"' \
    run_wrk "chat-week-$round" chat.lua /api/chat
  TICKLER_TOKEN=$WRITER_TOKEN run_wrk "create-$round" create.lua /api/tasks
  TICKLER_TOKEN=$WRITER_TOKEN CHAT_MESSAGE="add bench chat {n} tomorrow at 9am #bench !high" \
    CHAT_EXPECT='"change":"added"' run_wrk "chat-add-$round" chat.lua /api/chat
done

if [[ ${BENCH_STREAM:-1} != 0 ]]; then
  build/venv/bin/python bench/assistant_stream.py --bin "$BIN" | tee "$OUT/stream.txt"
fi

PYTHONPATH=bench/lib python3 - "$OUT" "$ROUNDS" "$STRICT" <<'PY'
import sys
from wrk_results import load, print_table
out, rounds, strict = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
kinds = ("healthz", "chat-week", "create", "chat-add")
clean = print_table(out, [f"{k}-{i}" for i in range(1, rounds + 1) for k in kinds])

def worst(kind, pct):  # the highest of the rounds' percentiles, in ms
    return max(load(out, f"{kind}-{i}")[0]["latency_us"][pct] for i in range(1, rounds + 1)) / 1000

def mean(kind, pct):
    return sum(load(out, f"{kind}-{i}")[0]["latency_us"][pct] for i in range(1, rounds + 1)) / rounds / 1000

week_p99 = worst("chat-week", "p99")
print(f"what's due this week, 10,000 tasks: p99 {week_p99:.2f} ms (target <= 50 ms) "
      f"{'PASS' if week_p99 <= 50 else 'FAIL'}; /healthz p99 {worst('healthz', 'p99'):.2f} ms")
ok = week_p99 <= 50
for pct in ("p50", "p99"):
    create, chat = mean("create", pct), mean("chat-add", pct)
    ratio = chat / create
    ok &= ratio <= 2
    print(f"chat add / POST /api/tasks, {pct}: {chat:.2f} / {create:.2f} ms = {ratio:.2f} "
          f"(target <= 2) {'PASS' if ratio <= 2 else 'FAIL'}")
if not clean:
    print("INVALID: a run had errors (HTTP >= 400, socket errors or unexpected answers); see the .txt files")
    sys.exit(2)
sys.exit(1 if strict and not ok else 0)
PY
