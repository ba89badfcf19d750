#!/usr/bin/env bash
# `make deploy-check`: validates the Kubernetes deployment of Tickler without a cluster.
# Builds (once per pin, cached in ~/.cache/tickler-tools) the pinned helm and the checker,
# generates the Strimzi CRDs, finds the Dapr CRDs and component metadata in the Go module cache,
# then runs the checker over the charts, manifests, dashboard, alerts and Dockerfile.
#
#   TICKLER_BIN   the tickler binary for the ldd check (default: build/tickler, built by
#                 `make build` when missing)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
log() { echo "deploy-check: $*" >&2; }

tools="$("$here/build.sh" | tail -1)"
crds="$("$here/strimzi/crds.sh" | tail -1)"

# The Dapr release the checker's types come from: its CRDs and the components-contrib version
# it was built with (whose metadata.yaml files list what each component reads).
dapr_version="$(cd "$here" && go list -m -f '{{.Version}}' github.com/dapr/dapr)"
dapr_dir="$(cd "$here" && go mod download -json "github.com/dapr/dapr@$dapr_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
contrib_version="$(awk '$1 == "github.com/dapr/components-contrib" { print $2; exit }' "$dapr_dir/go.mod")"
contrib_dir="$(cd "$here" && go mod download -json "github.com/dapr/components-contrib@$contrib_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -d "$dapr_dir/charts/dapr/crds" && -d "$contrib_dir" ]] || { log "cannot find the Dapr $dapr_version module files"; exit 1; }

tickler="${TICKLER_BIN:-$repo/build/tickler}"
if [[ ! -x "$tickler" ]]; then
  log "no $tickler: building it (make build) for the ldd check"
  make -C "$repo" --no-print-directory build >&2
fi

cd "$repo"
exec "$tools/deploy-check" -repo "$repo" -helm "$tools/helm" -strimzi-crds "$crds" \
  -dapr-dir "$dapr_dir" -contrib-dir "$contrib_dir" -tickler "$tickler" "$@"
