#!/usr/bin/env bash
# Every test of Tickler, in order: formatting, the release build with its unit tests, the unit
# tests again under ASan+UBSan, then the black-box tests against build/tickler: the REST API
# (tests/api) and the event-driven flows (tests/e2e).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "formatting (clang-format)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

step "release build"
make --no-print-directory build

step "unit tests (release)"
ctest --preset release --output-on-failure

step "unit tests (asan-ubsan)"
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan --target tickler_unit_tests
ctest --preset asan-ubsan --output-on-failure

export TICKLER_BIN="$PWD/build/tickler"
step "black-box API tests"
build/venv/bin/pytest -q -p no:cacheprovider tests/api

step "black-box event-driven tests"
build/venv/bin/pytest -q -p no:cacheprovider tests/e2e
