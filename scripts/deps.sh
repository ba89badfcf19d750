#!/usr/bin/env bash
# Installs what building, running and testing Tickler needs, and nothing when it is all there.
# Usage: scripts/deps.sh [build|stack|test|bench|web|deploy]   (each includes build; test
#   includes stack, web and deploy)
#   stack: what the distributed mode needs on this machine (make up, tests/integration):
#   PostgreSQL, a JDK and Maven for the Kafka broker, Go for daprd and the Dapr scheduler.
#   web: what the web UI's build and tests need: chromium for the browser tests, web/node_modules
#   (npm ci from web/package-lock.json; Node.js 20.19 or newer must be on PATH).
set -euo pipefail
want=${1:-build}

build_pkgs=(cmake ninja-build g++ pkg-config ccache tzdata
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libssl-dev libspdlog-dev libfmt-dev libcli11-dev
  libhowardhinnant-date-dev libical-dev libcurl4-openssl-dev libgtest-dev libgmock-dev)
stack_pkgs=(postgresql openjdk-17-jdk-headless maven python3)
test_pkgs=(clang-format python3 python3-venv "${stack_pkgs[@]}")
bench_pkgs=(wrk valgrind)
web_pkgs=(chromium)
# deploy: make deploy-check (Maven fetches the Strimzi CRD generator; dpkg-query for the ldd check)
deploy_pkgs=(maven openjdk-17-jdk-headless)

pkgs=("${build_pkgs[@]}")
case "$want" in
  stack) pkgs+=("${stack_pkgs[@]}") ;;
  test) pkgs+=("${test_pkgs[@]}" "${web_pkgs[@]}") ;;
  web) pkgs+=("${web_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  deploy) pkgs+=("${deploy_pkgs[@]}") ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # Tickler starts its own PostgreSQL servers (tools/postgres/pg.sh); the package's default
  # cluster on port 5432 would only be a server nobody asked for.
  if [ ! -e /etc/postgresql-common/createcluster.d/tickler.conf ]; then
    $sudo mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/tickler.conf >/dev/null
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$want" = web ] || [ "$want" = test ]; then
  if ! command -v npm >/dev/null; then
    echo "deps: npm is missing (Node.js 20.19 or newer with npm is needed for the web UI)" >&2
    exit 1
  fi
  scripts/build-web.sh install
fi

if [ "$want" != build ] && [ "$want" != web ]; then
  # Python packages for the black-box tests live in a venv under build/, never in the system.
  venv=build/venv
  if [ ! -x "$venv/bin/pytest" ] || ! cmp -s tests/requirements.txt "$venv/.requirements"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r tests/requirements.txt
    cp tests/requirements.txt "$venv/.requirements"
  fi
fi

if [ "$want" = deploy ] || [ "$want" = test ]; then
  # tools/deploy-check builds helm and its checker with the go command (Go 1.26 or newer) and
  # runs Strimzi's CRD generator, which needs a Java 21 or newer (JAVA21_HOME, or a JDK under
  # /usr/lib/jvm such as the Temurin 25 of these machines).
  if ! command -v go >/dev/null; then
    echo "deps: the go command is missing (Go 1.26 or newer is needed by tools/deploy-check)" >&2
    exit 1
  fi
fi

if [ "$want" = test ]; then
  # The email tests (tests/e2e/test_email.py) build Mailpit from source when it is missing
  # (tools/mailpit) and make a test CA with openssl.
  for tool in go openssl; do
    if ! command -v "$tool" >/dev/null; then
      echo "deps: the $tool command is missing (the email tests need it for Mailpit)" >&2
      exit 1
    fi
  done
fi

if [ "$want" = stack ] || [ "$want" = test ]; then
  # daprd and the Dapr scheduler are built from source with the go command (tools/dapr); the Go
  # of Debian 12 is too old for Dapr 1.16, so a Go toolchain of 1.24 or newer must be on PATH.
  if ! command -v go >/dev/null; then
    echo "deps: the go command is missing (Go 1.24 or newer is needed to build daprd)" >&2
    exit 1
  fi
fi
