#!/usr/bin/env bash
# Every test of Tickler, in order: formatting, the release build with its unit tests, the unit
# tests again under ASan+UBSan (the store suite against SQLite and a PostgreSQL started here),
# then the event contract (tests/events) and the black-box tests against build/tickler: the REST
# API (tests/api), the event-driven flows of tickler serve (tests/e2e), the web UI (Vitest, then
# tests/e2e/browser in chromium) and the distributed mode on real PostgreSQL, Kafka and Dapr
# (tests/integration); tests/e2e and tests/integration check every event they make the system
# publish against docs/events/asyncapi.yaml. Every server this starts is stopped at the end, also
# on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

pg_state=$(mktemp -d /tmp/tickler-test-pg.XXXXXX)
cleanup() { tools/postgres/pg.sh stop "$pg_state" >/dev/null 2>&1 || true; rm -rf "$pg_state"; }
trap cleanup EXIT

step "formatting (clang-format)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

step "module boundaries (the include check, its own tests first)"
build/venv/bin/pytest -q -p no:cacheprovider tools/include-check
tools/include-check/check.py

step "release build"
make --no-print-directory build

step "PostgreSQL for the store tests"
tools/postgres/pg.sh start "$pg_state" tickler_test >/dev/null
TICKLER_TEST_PG_URL=$(tools/postgres/pg.sh url "$pg_state" tickler_test)
export TICKLER_TEST_PG_URL

step "unit tests (release)"
ctest --preset release --output-on-failure

step "unit tests (asan-ubsan)"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan --target tickler_unit_tests
ctest --preset asan-ubsan --output-on-failure

export TICKLER_BIN="$PWD/build/tickler"
step "event contract: docs/events/asyncapi.yaml against src/wire/ (tests/events)"
build/venv/bin/pytest -q -p no:cacheprovider tests/events

step "black-box API tests"
build/venv/bin/pytest -q -p no:cacheprovider tests/api

step "Mailpit for the email tests (tools/mailpit: built once, cached)"
tools/mailpit/build.sh >/dev/null

step "black-box event-driven tests"
build/venv/bin/pytest -q -p no:cacheprovider tests/e2e

step "web UI unit tests (Vitest)"
(cd web && npx vitest run)

step "web UI in a browser (playwright-core + chromium, screenshots in tests/e2e/screenshots)"
node --test --test-concurrency=1 --test-timeout=300000 --test-reporter=spec tests/e2e/browser/

step "integration tests: the distributed mode (PostgreSQL, Kafka, Dapr)"
build/venv/bin/pytest -q -p no:cacheprovider tests/integration

step "deployment checks: Helm charts, manifests, Dockerfile (tools/deploy-check)"
tools/deploy-check/check.sh
