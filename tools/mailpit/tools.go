//go:build tools

// Package tools pins the Mailpit command that build.sh compiles. The build tag keeps this
// file out of every build; it exists so that `go mod tidy` records its dependencies.
package tools

import (
	_ "github.com/axllent/mailpit"
)
