#!/usr/bin/env bash
# Builds the tools of `make deploy-check` into a cache outside the repo, once per pin:
#   helm          helm.sh/helm/v3/cmd/helm at the version pinned in helm/go.mod
#   deploy-check  this module's checker (cmd/deploy-check), keyed by a hash of its sources
# Prints the directory holding both as the last line of stdout:
#   TOOLS=$(tools/deploy-check/build.sh | tail -1)
#
#   TICKLER_TOOLS_CACHE   cache root (default: $HOME/.cache/tickler-tools)
# Progress goes to stderr. The first build takes minutes (the Kubernetes, Dapr and Helm modules).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "tools/deploy-check: $*" >&2; }
command -v go >/dev/null || { log "the go command is not on PATH (Go 1.26 or newer is needed)"; exit 1; }

cache_root="${TICKLER_TOOLS_CACHE:-$HOME/.cache/tickler-tools}"
mkdir -p "$cache_root"

# The helm pin, read from helm/go.mod without the network.
helm_version="$(cd "$here/helm" && go mod edit -json | awk '
  /"Path": "helm.sh\/helm\/v3"/ { found = 1; next }
  found && /"Version":/ { gsub(/[",]/, "", $2); print $2; exit }')"
[[ "$helm_version" == v3.* ]] || { log "cannot read the helm.sh/helm/v3 pin from helm/go.mod"; exit 1; }

# The checker is rebuilt when any of its sources or pins change.
checker_hash="$(cd "$here" && find . -path ./helm -prune -o \( -name '*.go' -o -name go.mod -o -name go.sum \) -print \
  | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"

out="$cache_root/deploy-check-$helm_version-$checker_hash"
if [[ -x "$out/helm" && -x "$out/deploy-check" ]]; then
  echo "$out"
  exit 0
fi

exec 9>"$cache_root/.deploy-check.lock"
flock 9
if [[ -x "$out/helm" && -x "$out/deploy-check" ]]; then
  echo "$out"
  exit 0
fi

tmp="$(mktemp -d "$cache_root/.deploy-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

helm_cached="$cache_root/helm-$helm_version/helm"
if [[ ! -x "$helm_cached" ]]; then
  start=$SECONDS
  log "building helm $helm_version ..."
  # The same stamps as Helm's Makefile: its version, and the Kubernetes version it assumes
  # (1.<minor of k8s.io/client-go>) for `helm template` and `helm lint`.
  k8s_minor="$(cd "$here/helm" && go list -m -f '{{.Version}}' k8s.io/client-go | cut -d. -f2)"
  pkg=helm.sh/helm/v3
  ldflags="-s -w -X $pkg/internal/version.version=$helm_version -X $pkg/internal/version.gitTreeState=clean"
  for p in pkg/lint/rules pkg/chartutil; do
    ldflags+=" -X $pkg/$p.k8sVersionMajor=1 -X $pkg/$p.k8sVersionMinor=$k8s_minor"
  done
  (cd "$here/helm" && CGO_ENABLED=0 nice -n 10 go build -mod=readonly -trimpath -ldflags "$ldflags" \
     -o "$tmp/helm" helm.sh/helm/v3/cmd/helm) >&2
  mkdir -p "$(dirname "$helm_cached")"
  mv -f "$tmp/helm" "$helm_cached"
  log "built helm in $((SECONDS - start))s"
fi

start=$SECONDS
log "building the checker ($checker_hash) ..."
(cd "$here" && CGO_ENABLED=0 nice -n 10 go build -mod=readonly -trimpath -o "$tmp/deploy-check" ./cmd/deploy-check) >&2
log "built the checker in $((SECONDS - start))s"

mkdir -p "$out"
ln -sf "$helm_cached" "$out/helm"
mv -f "$tmp/deploy-check" "$out/deploy-check"
# Older checker builds are of no use once their sources changed.
find "$cache_root" -maxdepth 1 -name 'deploy-check-*' ! -path "$out" -exec rm -rf {} + 2>/dev/null || true
echo "$out"
