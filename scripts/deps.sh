#!/usr/bin/env bash
# Installs what building, running and testing Tickler needs, and nothing when it is all there.
# Usage: scripts/deps.sh [build|test|bench]   (test and bench include build)
set -euo pipefail
want=${1:-build}

build_pkgs=(cmake ninja-build g++ pkg-config ccache tzdata
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libsqlite3-dev libsodium-dev libssl-dev libspdlog-dev libfmt-dev libcli11-dev
  libhowardhinnant-date-dev libical-dev libgtest-dev libgmock-dev)
test_pkgs=(clang-format python3 python3-venv)
bench_pkgs=(wrk valgrind)

pkgs=("${build_pkgs[@]}")
case "$want" in
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$want" != build ]; then
  # Python packages for the black-box tests live in a venv under build/, never in the system.
  venv=build/venv
  if [ ! -x "$venv/bin/pytest" ] || ! cmp -s tests/requirements.txt "$venv/.requirements"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r tests/requirements.txt
    cp tests/requirements.txt "$venv/.requirements"
  fi
fi
