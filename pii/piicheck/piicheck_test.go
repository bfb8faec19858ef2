package piicheck_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

// The tests run the analyzer over the GOPATH-style packages under
// testdata/src and check its reports against their "// want" comments.
// testdata/src/github.com/gdprkit/gdprkit/pii stands in for package pii.

func TestLeaks(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), piicheck.Analyzer, "leak", "model")
}

func TestUntaggedFields(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), piicheck.Analyzer, "untagged")
}

// TestSuppressions covers directives with and without a reason; a directive
// without one is itself reported, by the "// want +1" comment above it.
func TestSuppressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), piicheck.Analyzer, "suppress")
}

func TestRedactingHandler(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), piicheck.Analyzer, "handler")
}

func TestSlogHandlerFlag(t *testing.T) {
	require.NoError(t, piicheck.Analyzer.Flags.Set("slog-handler", "true"))
	t.Cleanup(func() { _ = piicheck.Analyzer.Flags.Set("slog-handler", "false") })
	analysistest.Run(t, analysistest.TestData(), piicheck.Analyzer, "handlerflag")
}

// TestClean has nothing to report: a value passed through pii.Redact, and a
// subject identifier, are not personal data shown.
func TestClean(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), piicheck.Analyzer, "clean")
}
