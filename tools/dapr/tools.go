//go:build tools

// Package tools pins the Dapr commands that build.sh compiles. The build tag keeps this
// file out of every build; it exists so that `go mod tidy` records their dependencies.
package tools

import (
	_ "github.com/dapr/dapr/cmd/daprd"
	_ "github.com/dapr/dapr/cmd/scheduler"
)
