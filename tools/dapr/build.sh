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

# shellcheck source=../lib/go_tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/go_tool.sh"
go_tool_start dapr github.com/dapr/dapr "$@"

have_both() { [[ -x "$out/daprd" && -x "$out/scheduler" ]]; }

if (( ! force )) && have_both; then
  echo "$out"
  exit 0
fi

go_tool_lock
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
