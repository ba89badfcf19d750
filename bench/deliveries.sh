#!/usr/bin/env bash
# Issues H1 and H2's figure: 10,000 reminders due in one minute for 1,000 users to https webhook,
# email, Web Push and ntfy, each delivered exactly once per channel, none early, lateness p99 ≤ 2 s
# per channel.
# Usage: bench/deliveries.sh [deliveries_bench.py options]   (see bench/README.md, "Deliveries")
#
# Builds Mailpit when missing (tools/mailpit/build.sh, Go on PATH), then runs
# bench/deliveries_bench.py with the test venv's Python: one `tickler serve` on loopback, https
# receivers with a CA made for the run (--ca-file) for the webhooks, a push service and an ntfy
# stand-in, Mailpit for the mails. About 5 minutes (most of it signing up 1,000 users: argon2id).
# Output: bench/out/deliveries.json.
#
# Knobs (environment): TICKLER_BIN (build/tickler), PYTHON (build/venv/bin/python), MAILPIT (a
# mailpit binary), BENCH_OUT (bench/out), BENCH_TIMEOUT (900 s: the whole run, however it goes),
# BENCH_STRICT=1 to exit 1 when a target is missed. --no-email, --no-push, --no-ntfy leave a
# channel out (the webhook is always on): --no-push --no-ntfy is H1's run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-build/venv/bin/python}
[[ -x $PYTHON ]] || { echo "deliveries: $PYTHON missing (scripts/deps.sh test)" >&2; exit 1; }
[[ -x ${TICKLER_BIN:-build/tickler} ]] || { echo "deliveries: ${TICKLER_BIN:-build/tickler} missing; build it first" >&2; exit 1; }
if [[ -z ${MAILPIT:-} && " $* " != *" --no-email "* ]]; then
  MAILPIT=$(tools/mailpit/build.sh | tail -1)
  export MAILPIT
fi
exec timeout --signal=TERM --kill-after=30 "${BENCH_TIMEOUT:-900}" "$PYTHON" bench/deliveries_bench.py "$@"
