//go:build tools

// Pins the Helm CLI that `make deploy-check` lints and renders the chart with. Nothing here is
// linked into Tickler; build.sh builds helm.sh/helm/v3/cmd/helm at the version in go.mod.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
