//go:build tools

// Package deps pins the module's dependencies while the packages that use them are written.
package deps

import (
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/stretchr/testify/require"
	_ "github.com/tink-crypto/tink-go/v2/aead"
	_ "golang.org/x/text/unicode/norm"
	_ "golang.org/x/tools/go/analysis"
	_ "modernc.org/sqlite"
)
