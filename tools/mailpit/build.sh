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

# shellcheck source=../lib/go_tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/go_tool.sh"
go_tool_start mailpit github.com/axllent/mailpit "$@"

if (( ! force )) && [[ -x "$out/mailpit" ]]; then
  echo "$out/mailpit"
  exit 0
fi

go_tool_lock
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
