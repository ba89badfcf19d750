#!/usr/bin/env bash
# Builds Mailpit at the version pinned in go.mod into a cache directory outside the repo, once
# per version. Prints the binary's path as the last line of stdout, so callers do:
#   MAILPIT=$(tools/mailpit/build.sh | tail -1)
#
#   TICKLER_TOOLS_CACHE   cache root (default: $HOME/.cache/tickler-tools)
#   --force               rebuild even if the binary exists
#
# Progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force=0
case "${1:-}" in
  --force) force=1 ;;
  "") ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

log() { echo "tools/mailpit: $*" >&2; }

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
cd "$here"

# The pin lives in go.mod only; `go mod edit` reads it without the network.
version="$(go mod edit -json | awk '
  /^\t"Require": \[/ { in_require = 1; next }
  in_require && /^\t\]/ { exit }
  in_require && /"Path": "github.com\/axllent\/mailpit"/ { found = 1; next }
  found && /"Version":/ { gsub(/[",]/, "", $2); print $2; exit }')"
[[ "$version" == v* ]] || { log "cannot read the github.com/axllent/mailpit pin from go.mod (got '$version')"; exit 1; }

cache_root="${TICKLER_TOOLS_CACHE:-$HOME/.cache/tickler-tools}"
out="$cache_root/mailpit-$version"

if (( ! force )) && [[ -x "$out/mailpit" ]]; then
  echo "$out/mailpit"
  exit 0
fi

mkdir -p "$cache_root"
# Test fixtures may call this concurrently; one builds, the others wait and reuse.
exec 9>"$cache_root/.mailpit-$version.lock"
flock 9
if (( ! force )) && [[ -x "$out/mailpit" ]]; then
  echo "$out/mailpit"
  exit 0
fi

tmp="$(mktemp -d "$cache_root/.mailpit-$version.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

start=$SECONDS
log "building mailpit $version ..."
# CGO off like upstream releases (its SQLite is the pure-Go modernc one).
CGO_ENABLED=0 nice -n 10 go build -mod=readonly -trimpath \
  -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$version" \
  -o "$tmp/mailpit" github.com/axllent/mailpit >&2
mkdir -p "$out"
mv -f "$tmp/mailpit" "$out/mailpit"
log "built in $((SECONDS - start))s: $out/mailpit"
echo "$out/mailpit"
