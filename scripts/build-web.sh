#!/usr/bin/env bash
# Builds the web UI (web/ → build/web, served by tickler serve) when Node.js and npm are there;
# without them it says so and leaves the server to answer / with "the UI is not built".
# Usage: scripts/build-web.sh [install]   (install: only bring web/node_modules up to date)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  echo "web: npm is not installed; skipping the web UI (scripts/deps.sh web installs what it needs)"
  exit 0
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "web: Node.js $(node --version) is too old for the web UI's build (Vite needs 20.19 or newer)" >&2
  exit 1
fi

# web/node_modules follows web/package-lock.json exactly (npm ci), reinstalled when it changed.
stamp=web/node_modules/.tickler-package-lock.json
if ! cmp -s web/package-lock.json "$stamp"; then
  echo "web: npm ci"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json "$stamp"
fi
[ "${1:-}" = install ] && exit 0

# Rebuild only when a source is newer than the last build.
out=build/web/index.html
if [ -f "$out" ] && [ -z "$(find web/src web/public web/icons web/index.html web/package.json web/tsconfig.json \
    web/vite.config.ts web/vite.sw.config.ts web/scripts "$stamp" -newer "$out" -print -quit)" ]; then
  echo "web: build/web is up to date"
  exit 0
fi
(cd web && npm run --silent build)
