#!/usr/bin/env bash
# Builds daprd (stable components) and the Dapr scheduler at the version pinned in go.mod
# into a cache directory outside the repo, once per version. Prints that directory as the
# last line of stdout, so callers do:  DAPR_BIN=$(tools/dapr/build.sh | tail -1)
#
#   TICKLER_TOOLS_CACHE   cache root (default: $HOME/.cache/tickler-tools)
#   --force               rebuild even if both binaries exist
#
# Progress goes to stderr. The first build takes a long time (see README.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force=0
case "${1:-}" in
  --force) force=1 ;;
  "") ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

log() { echo "tools/dapr: $*" >&2; }

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
cd "$here"

# The pin lives in go.mod only. `go mod edit` parses it without the network or module cache,
# so the fast path below works offline.
version="$(go mod edit -json | awk '
  /^\t"Require": \[/ { in_require = 1; next }
  in_require && /^\t\]/ { exit }
  in_require && /"Path": "github.com\/dapr\/dapr"/ { found = 1; next }
  found && /"Version":/ { gsub(/[",]/, "", $2); print $2; exit }')"
[[ "$version" == v* ]] || { log "cannot read the github.com/dapr/dapr pin from go.mod (got '$version')"; exit 1; }

cache_root="${TICKLER_TOOLS_CACHE:-$HOME/.cache/tickler-tools}"
out="$cache_root/dapr-$version"

have_both() { [[ -x "$out/daprd" && -x "$out/scheduler" ]]; }

if (( ! force )) && have_both; then
  echo "$out"
  exit 0
fi

mkdir -p "$cache_root"
# Test scripts may call this concurrently; one builds, the others wait and reuse.
exec 9>"$cache_root/.dapr-$version.lock"
flock 9
if (( ! force )) && have_both; then
  echo "$out"
  exit 0
fi

# Same stamps as dapr's Makefile (REL_VERSION has no leading "v"), so --version is truthful.
rel="${version#v}"
commit="$(go mod download -json "github.com/dapr/dapr@$version" | sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]*\)".*/\1/p' | head -1)" || commit=""
ldflags="-s -w"
ldflags+=" -X github.com/dapr/dapr/pkg/buildinfo.version=$rel"
ldflags+=" -X github.com/dapr/dapr/pkg/buildinfo.gitversion=$version"
ldflags+=" -X github.com/dapr/dapr/pkg/buildinfo.gitcommit=$commit"
ldflags+=" -X github.com/dapr/kit/logger.DaprVersion=$rel"

# Build next to the final place, then rename: an interrupted build never looks finished.
tmp="$(mktemp -d "$cache_root/.dapr-$version.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

build() { # <name> <package> [go build flags...]
  local name="$1" pkg="$2"; shift 2
  local start=$SECONDS
  log "building $name $version ($pkg) ..."
  # CGO off like upstream releases: static binaries, no C toolchain needed.
  CGO_ENABLED=0 nice -n 10 go build -mod=readonly -trimpath -ldflags "$ldflags" "$@" \
    -o "$tmp/$name" "$pkg" >&2
  log "built $name in $((SECONDS - start))s"
}

total_start=$SECONDS
build daprd github.com/dapr/dapr/cmd/daprd -tags stablecomponents
build scheduler github.com/dapr/dapr/cmd/scheduler

mkdir -p "$out"
mv -f "$tmp/daprd" "$out/daprd"
mv -f "$tmp/scheduler" "$out/scheduler"
log "done in $((SECONDS - total_start))s: $(du -sh "$out" | cut -f1) in $out"
echo "$out"
